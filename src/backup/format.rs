//! The backup file: JSON Lines. Line 1 is the [`Header`]; then one line per row,
//! `{"table": NAME, "row": {COLUMN: VALUE, …}}`, tables in the order the header lists them; the last
//! line is the [`Trailer`] with the row total and the SHA-256 of every byte before it. A file
//! without its trailer was cut short; a checksum that does not match means it was changed.

use std::io::{BufRead, Read, Write};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value as Json};

use sha2::{Digest, Sha256};

use super::BackupError;

pub const FORMAT_NAME: &str = "champion-tracker-backup";
/// Bump when the file layout changes (not when the schema does: `schema` says that).
pub const FORMAT_VERSION: u32 = 1;
/// Longer lines are refused rather than read into memory (the largest real row is a few hundred KiB).
const MAX_LINE_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub format: String,
    pub format_version: u32,
    /// The champion-tracker version that wrote the file.
    pub app_version: String,
    pub created_at: String,
    /// `sqlite` or `postgres`: where the data came from (informational).
    pub source: String,
    /// The last migration applied to the source database; a restore needs the same schema.
    pub schema: String,
    pub tables: Vec<TableHeader>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TableHeader {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: u64,
    /// The key the source would have given the next new row (tables with a generated key): keys
    /// of deleted rows, which the audit log may still name, are not handed out again after a restore.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_key: Option<i64>,
}

#[derive(Serialize, Deserialize, Debug)]
#[serde(deny_unknown_fields)]
pub struct Trailer {
    pub rows: u64,
    pub sha256: String,
}

/// Writes lines and hashes them for the trailer.
pub struct LineWriter<W: Write> {
    out: W,
    hasher: Sha256,
    pub rows: u64,
}

impl<W: Write> LineWriter<W> {
    pub fn new(out: W) -> Self {
        Self { out, hasher: Sha256::new(), rows: 0 }
    }

    fn line(&mut self, value: &impl Serialize) -> Result<(), BackupError> {
        let mut bytes = serde_json::to_vec(value).map_err(|e| BackupError::Io(std::io::Error::other(e)))?;
        bytes.push(b'\n');
        self.hasher.update(&bytes);
        self.out.write_all(&bytes)?;
        Ok(())
    }

    pub fn header(&mut self, header: &Header) -> Result<(), BackupError> {
        self.line(header)
    }

    /// `{"table": …, "row": {…}}` with the columns in the table's order (a JSON map would sort them).
    pub fn row(&mut self, table: &str, columns: &[(&str, Json)]) -> Result<(), BackupError> {
        self.rows += 1;
        let mut line = Vec::with_capacity(256);
        line.extend_from_slice(b"{\"table\":");
        serde_json::to_writer(&mut line, table).map_err(std::io::Error::other)?;
        line.extend_from_slice(b",\"row\":{");
        for (i, (name, value)) in columns.iter().enumerate() {
            if i > 0 {
                line.push(b',');
            }
            serde_json::to_writer(&mut line, name).map_err(std::io::Error::other)?;
            line.push(b':');
            serde_json::to_writer(&mut line, value).map_err(std::io::Error::other)?;
        }
        line.extend_from_slice(b"}}\n");
        self.hasher.update(&line);
        self.out.write_all(&line)?;
        Ok(())
    }

    /// Writes the trailer (not itself hashed) and flushes.
    pub fn finish(mut self) -> Result<W, BackupError> {
        let trailer = Trailer { rows: self.rows, sha256: hex(&self.hasher.finalize()) };
        let mut bytes = serde_json::to_vec(&serde_json::json!({ "trailer": trailer }))
            .map_err(|e| BackupError::Io(std::io::Error::other(e)))?;
        bytes.push(b'\n');
        self.out.write_all(&bytes)?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One line of the file after the header.
pub enum Line {
    Row { table: String, row: Map<String, Json> },
    Trailer(Trailer),
}

/// Reads lines, hashing every one before the trailer.
pub struct LineReader<R: BufRead> {
    input: R,
    hasher: Sha256,
    buffer: Vec<u8>,
    /// 1-based number of the last line read, for messages.
    pub line_number: u64,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(input: R) -> Self {
        Self { input, hasher: Sha256::new(), buffer: Vec::new(), line_number: 0 }
    }

    /// Reads the next line into the buffer; `false` at the end of the file.
    fn read_line(&mut self) -> Result<bool, BackupError> {
        self.buffer.clear();
        let read = Read::take(&mut self.input, MAX_LINE_BYTES + 1).read_until(b'\n', &mut self.buffer)?;
        if read == 0 {
            return Ok(false);
        }
        self.line_number += 1;
        if read as u64 > MAX_LINE_BYTES {
            return Err(self.corrupt(format!("longer than {MAX_LINE_BYTES} bytes")));
        }
        Ok(true)
    }

    /// The line just read, without its newline.
    fn content(&self) -> &[u8] {
        self.buffer.strip_suffix(b"\n").unwrap_or(&self.buffer)
    }

    pub fn corrupt(&self, message: impl std::fmt::Display) -> BackupError {
        BackupError::Corrupt(format!("line {}: {message}", self.line_number))
    }

    /// Reads and checks line 1: a backup of a format version this build reads.
    pub fn header(&mut self) -> Result<Header, BackupError> {
        if !self.read_line()? {
            return Err(BackupError::Corrupt("the file is empty".into()));
        }
        let value: Json = serde_json::from_slice(self.content())
            .map_err(|e| BackupError::NotABackup(format!("line 1 is not JSON ({e})")))?;
        if value.get("format").and_then(Json::as_str) != Some(FORMAT_NAME) {
            return Err(BackupError::NotABackup(format!("line 1 does not name the format `{FORMAT_NAME}`")));
        }
        // Checked before the rest of the header, whose fields another version may lay out differently.
        match value.get("format_version").and_then(Json::as_u64) {
            Some(version) if version == u64::from(FORMAT_VERSION) => {}
            Some(version) => return Err(BackupError::UnsupportedVersion(version.to_string())),
            None => return Err(BackupError::UnsupportedVersion(format!("{}", value["format_version"]))),
        }
        let header: Header = serde_json::from_value(value).map_err(|e| self.corrupt(format!("bad header: {e}")))?;
        self.hasher.update(&self.buffer);
        Ok(header)
    }

    /// The next row or the trailer; `None` when the file ends (before a trailer: the caller's
    /// error). The trailer's checksum is verified here.
    pub fn next_line(&mut self) -> Result<Option<Line>, BackupError> {
        if !self.read_line()? {
            return Ok(None);
        }
        let value: Json =
            serde_json::from_slice(self.content()).map_err(|e| self.corrupt(format!("not valid JSON ({e})")))?;
        let Json::Object(mut fields) = value else {
            return Err(self.corrupt("not a JSON object"));
        };
        if let Some(trailer) = fields.remove("trailer") {
            if !fields.is_empty() {
                return Err(self.corrupt("unexpected fields beside `trailer`"));
            }
            let trailer: Trailer =
                serde_json::from_value(trailer).map_err(|e| self.corrupt(format!("bad trailer: {e}")))?;
            let actual = hex(&std::mem::take(&mut self.hasher).finalize());
            if actual != trailer.sha256 {
                return Err(BackupError::Corrupt(format!(
                    "checksum mismatch (the file says {}, its content hashes to {actual}): the file was changed or damaged",
                    trailer.sha256
                )));
            }
            return Ok(Some(Line::Trailer(trailer)));
        }
        self.hasher.update(&self.buffer);
        match (fields.remove("table"), fields.remove("row")) {
            (Some(Json::String(table)), Some(Json::Object(row))) if fields.is_empty() => {
                Ok(Some(Line::Row { table, row }))
            }
            _ => Err(self.corrupt("expected {\"table\": …, \"row\": {…}} or the trailer")),
        }
    }
}
