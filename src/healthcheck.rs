//! `champion-tracker healthcheck`: a minimal HTTP/1.1 GET of `/health` for the container's
//! HEALTHCHECK, so the runtime image needs no curl or wget.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream};
use std::time::Duration;

use anyhow::{Context, bail};

/// Succeeds when the server at `bind` answers `GET /health` with 200.
pub fn probe(bind: SocketAddr, timeout: Duration) -> anyhow::Result<()> {
    // A server listening on every interface is reachable on loopback.
    let target = match bind.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), bind.port()),
        IpAddr::V6(ip) if ip.is_unspecified() => SocketAddr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), bind.port()),
        _ => bind,
    };
    let mut stream = TcpStream::connect_timeout(&target, timeout).with_context(|| format!("connecting to {target}"))?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")?;
    // The status line is all that is needed ("HTTP/1.1 200 OK").
    let mut head = [0u8; 32];
    let mut read = 0;
    while read < 12 {
        let n = stream.read(&mut head[read..]).context("reading the answer")?;
        if n == 0 {
            break;
        }
        read += n;
    }
    let status_line = String::from_utf8_lossy(&head[..read]);
    match status_line.split_whitespace().nth(1) {
        Some("200") => Ok(()),
        Some(status) => bail!("{target}/health answered {status}"),
        None => bail!("{target}/health gave no HTTP answer"),
    }
}
