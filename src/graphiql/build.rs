//! Build script: puts GraphiQL's page assets into the binary, so the page works on a closed
//! network and needs nothing from a CDN at run time.
//!
//! The packages are the pinned npm tarballs listed in `src/graphiql/packages.json`. Each is taken
//! from `GRAPHIQL_PACKAGES_DIR` when that names a folder holding it (an offline build), otherwise
//! fetched with `npm pack` (which uses npm's cache), and is checked against its sha512 integrity
//! before anything is read from it. The page's own script and style sit beside the manifest.
//!
//! Without npm and without the folder the server still builds: the page then says how to get
//! GraphiQL instead of loading it, and a `cargo:warning` says the same at build time.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use sha2::{Digest, Sha384, Sha512};

const MANIFEST: &str = "src/graphiql/packages.json";
/// Files of ours that the page loads, beside the packages' files.
const OWN_FILES: [&str; 2] = ["src/graphiql/start.js", "src/graphiql/page.css"];

#[derive(Deserialize)]
struct Manifest {
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    integrity: String,
    /// Path inside the tarball → the name the file is served under.
    files: BTreeMap<String, String>,
}

struct Asset {
    name: String,
    path: PathBuf,
    integrity: String,
}

fn main() {
    println!("cargo:rerun-if-changed={MANIFEST}");
    println!("cargo:rerun-if-changed=src/graphiql/build.rs");
    for file in OWN_FILES {
        println!("cargo:rerun-if-changed={file}");
    }
    println!("cargo:rerun-if-env-changed=GRAPHIQL_PACKAGES_DIR");

    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let assets_dir = out_dir.join("graphiql");
    fs::create_dir_all(&assets_dir).expect("create the assets folder");

    let (assets, missing) = match package_assets(&out_dir, &assets_dir) {
        Ok(assets) => (assets, None),
        Err(why) => {
            println!("cargo:warning=GraphiQL is not built in: {why}");
            (Vec::new(), Some(why))
        }
    };
    let mut all = assets;
    for file in OWN_FILES {
        all.push(own_asset(Path::new(file), &assets_dir));
    }
    fs::write(out_dir.join("graphiql_assets.rs"), generated_source(&all, missing.as_deref()))
        .expect("write graphiql_assets.rs");
}

fn package_assets(out_dir: &Path, assets_dir: &Path) -> Result<Vec<Asset>, String> {
    let manifest: Manifest =
        serde_json::from_str(&fs::read_to_string(MANIFEST).map_err(|e| format!("{MANIFEST}: {e}"))?)
            .map_err(|e| format!("{MANIFEST}: {e}"))?;
    let offline_dir = std::env::var_os("GRAPHIQL_PACKAGES_DIR").map(PathBuf::from);
    let mut assets = Vec::new();
    for package in &manifest.packages {
        let tarball = tarball(package, offline_dir.as_deref(), &out_dir.join("npm"))?;
        let bytes = fs::read(&tarball).map_err(|e| format!("{}: {e}", tarball.display()))?;
        let actual = format!("sha512-{}", STANDARD.encode(Sha512::digest(&bytes)));
        if actual != package.integrity {
            return Err(format!(
                "{}@{} does not match its pinned integrity (got {actual})",
                package.name, package.version
            ));
        }
        let mut wanted = package.files.clone();
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes.as_slice()));
        for entry in archive.entries().map_err(|e| e.to_string())? {
            let mut entry = entry.map_err(|e| e.to_string())?;
            let path = entry.path().map_err(|e| e.to_string())?.to_string_lossy().into_owned();
            let Some(name) = wanted.remove(&path) else { continue };
            let mut contents = Vec::new();
            entry.read_to_end(&mut contents).map_err(|e| e.to_string())?;
            let target = assets_dir.join(&name);
            fs::write(&target, &contents).map_err(|e| e.to_string())?;
            assets.push(Asset { name, path: target, integrity: sri(&contents) });
        }
        if let Some(path) = wanted.keys().next() {
            return Err(format!("{}@{} has no {path}", package.name, package.version));
        }
    }
    Ok(assets)
}

/// The package's tarball: from the offline folder when it holds it, else from `npm pack`.
fn tarball(package: &Package, offline_dir: Option<&Path>, npm_dir: &Path) -> Result<PathBuf, String> {
    let file = format!("{}-{}.tgz", package.name, package.version);
    if let Some(dir) = offline_dir {
        let path = dir.join(&file);
        if path.is_file() {
            return Ok(path);
        }
    }
    let path = npm_dir.join(&file);
    if path.is_file() {
        return Ok(path);
    }
    fs::create_dir_all(npm_dir).map_err(|e| e.to_string())?;
    let spec = format!("{}@{}", package.name, package.version);
    let output = Command::new(if cfg!(windows) { "npm.cmd" } else { "npm" })
        .args(["pack", &spec, "--silent", "--pack-destination"])
        .arg(npm_dir)
        .output()
        .map_err(|e| {
            format!("npm is needed to fetch {spec} ({e}); or set GRAPHIQL_PACKAGES_DIR to a folder holding {file}")
        })?;
    if !output.status.success() || !path.is_file() {
        return Err(format!("npm pack {spec} failed: {}", String::from_utf8_lossy(&output.stderr).trim()));
    }
    Ok(path)
}

fn own_asset(source: &Path, assets_dir: &Path) -> Asset {
    let contents = fs::read(source).unwrap_or_else(|e| panic!("{}: {e}", source.display()));
    let stem = source.file_stem().and_then(|s| s.to_str()).unwrap_or("asset");
    let extension = source.extension().and_then(|s| s.to_str()).unwrap_or("bin");
    // The content's hash in the name, so a browser never keeps an old copy across releases.
    let digest = Sha384::digest(&contents);
    let short: String = digest.iter().take(6).map(|byte| format!("{byte:02x}")).collect();
    let name = format!("{stem}-{short}.{extension}");
    let target = assets_dir.join(&name);
    fs::write(&target, &contents).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
    Asset { name, path: target, integrity: sri(&contents) }
}

/// A Subresource Integrity value.
fn sri(contents: &[u8]) -> String {
    format!("sha384-{}", STANDARD.encode(Sha384::digest(contents)))
}

fn generated_source(assets: &[Asset], missing: Option<&str>) -> String {
    let mut source =
        String::from("// Generated by src/graphiql/build.rs.\n\npub(super) static ASSETS: &[Asset] = &[\n");
    for asset in assets {
        source.push_str(&format!(
            "    Asset {{ name: {:?}, integrity: {:?}, bytes: include_bytes!({:?}) }},\n",
            asset.name,
            asset.integrity,
            asset.path.display().to_string()
        ));
    }
    source.push_str("];\n\n");
    source.push_str(&format!("pub(super) const NOT_BUILT_IN: Option<&str> = {missing:?};\n"));
    source
}
