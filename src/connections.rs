//! Accepts TCP connections and serves each with hyper, with the protections poem's own server
//! loop lacks: a client must send a request's headers within the read timeout (poem sets no
//! timer on hyper, so a client sending one byte at a time held its connection forever), and
//! connections are capped in total and per client address, so that a few hundred slow or idle
//! clients cannot take every file descriptor and cut everyone else off. A connection over a cap
//! is closed at once; one under it is served as poem would (HTTP/1.1 and HTTP/2, upgrades for
//! WebSocket).

use std::collections::HashMap;
use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use poem::web::{LocalAddr, RemoteAddr};
use poem::{Addr, Endpoint, EndpointExt, Response};
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};

/// How many connections may be open, and how fast a request must arrive.
#[derive(Clone, Copy, Debug)]
pub struct ConnectionLimits {
    /// Open connections in total, WebSockets included.
    pub max_connections: usize,
    /// Open connections from one client address; 0 for no such cap (behind a proxy, every
    /// connection comes from the proxy's address).
    pub max_per_address: usize,
    /// Time a client has to send a request's headers (and, in the handlers, its body).
    pub read_timeout: Duration,
}

/// What the connection loop has seen, for `/metrics`.
#[derive(Default)]
pub struct ConnectionStats {
    /// Connections open now.
    pub open: AtomicUsize,
    /// Connections closed on arrival because the total cap was reached.
    pub refused_total_cap: AtomicU64,
    /// Connections closed on arrival because their address had its share.
    pub refused_address_cap: AtomicU64,
}

/// Open connections by client address.
#[derive(Default)]
struct PerAddress {
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// One connection's place under both caps; giving it back when the connection ends.
struct Admission {
    _permit: OwnedSemaphorePermit,
    address: Option<(Arc<PerAddress>, IpAddr)>,
    stats: Arc<ConnectionStats>,
}

impl Drop for Admission {
    fn drop(&mut self) {
        self.stats.open.fetch_sub(1, Ordering::Relaxed);
        if let Some((per_address, ip)) = &self.address
            && let Ok(mut open) = per_address.open.lock()
            && let Some(count) = open.get_mut(ip)
        {
            *count -= 1;
            if *count == 0 {
                open.remove(ip);
            }
        }
    }
}

impl PerAddress {
    fn admit(self: &Arc<Self>, ip: IpAddr, max: usize) -> Option<(Arc<Self>, IpAddr)> {
        let mut open = self.open.lock().ok()?;
        let count = open.entry(ip).or_insert(0);
        if *count >= max {
            return None;
        }
        *count += 1;
        Some((self.clone(), ip))
    }
}

/// Serves `endpoint` on `listener` until `shutdown` resolves, then lets open connections finish
/// their requests for up to `grace`.
pub async fn serve<E>(
    listener: TcpListener,
    endpoint: E,
    limits: ConnectionLimits,
    stats: Arc<ConnectionStats>,
    shutdown: impl Future<Output = ()>,
    grace: Duration,
) -> std::io::Result<()>
where
    E: Endpoint + 'static,
{
    let endpoint = Arc::new(endpoint.map_to_response());
    let local = LocalAddr(Addr::SocketAddr(listener.local_addr()?));
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let per_address = Arc::new(PerAddress::default());
    let (stop, stopping) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of descriptors or a connection reset before it was accepted: the listener
                // itself is fine; pause briefly so a descriptor shortage does not spin.
                Err(error) => {
                    tracing::warn!(%error, "accepting a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Refusals are counted, not logged one by one: under a flood the log would be the flood.
        let Ok(permit) = slots.clone().try_acquire_owned() else {
            stats.refused_total_cap.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(%peer, max = limits.max_connections, "connection refused: too many open connections");
            continue;
        };
        let address = match limits.max_per_address {
            0 => None,
            max => match per_address.admit(peer.ip(), max) {
                Some(admitted) => Some(admitted),
                None => {
                    stats.refused_address_cap.fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(%peer, max, "connection refused: too many open connections from this address");
                    continue;
                }
            },
        };
        stats.open.fetch_add(1, Ordering::Relaxed);
        let admission = Admission { _permit: permit, address, stats: stats.clone() };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_connection(
            stream,
            endpoint.clone(),
            local.clone(),
            peer,
            limits.read_timeout,
            stopping.clone(),
            admission,
        ));
    }
    let _ = stop.send(true);
    // Every connection holds a slot until it ends: wait for all of them, within the grace period.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    if tokio::time::timeout(grace, slots.acquire_many(all)).await.is_err() {
        tracing::warn!("connections still open at the end of the shutdown grace period");
    }
    Ok(())
}

async fn serve_connection<E: Endpoint<Output = Response> + 'static>(
    stream: tokio::net::TcpStream,
    endpoint: Arc<E>,
    local: LocalAddr,
    peer: SocketAddr,
    read_timeout: Duration,
    mut stopping: watch::Receiver<bool>,
    _admission: Admission,
) {
    let remote = RemoteAddr(Addr::SocketAddr(peer));
    let service = hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
        let endpoint = endpoint.clone();
        let request = poem::Request::from((request, local.clone(), remote.clone(), poem::http::uri::Scheme::HTTP));
        // The request runs as its own task, so a client that goes away does not cancel it halfway
        // (a mutation commits or not as a whole either way; this way its effects do not depend on
        // when the client hung up, and the work done is the work counted).
        let handled = tokio::spawn(async move { endpoint.get_response(request).await });
        async move {
            let response = match handled.await {
                Ok(response) => response,
                Err(error) => {
                    tracing::error!(%error, "a request handler panicked");
                    crate::http::errors::request_error(
                        poem::http::StatusCode::INTERNAL_SERVER_ERROR,
                        "INTERNAL",
                        "Internal error; it has been logged",
                    )
                }
            };
            Ok::<_, Infallible>(hyper::Response::<_>::from(response))
        }
    });
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder.http1().timer(TokioTimer::new()).header_read_timeout(read_timeout);
    builder.http2().timer(TokioTimer::new());
    let connection = builder.serve_connection_with_upgrades(TokioIo::new(stream), service);
    tokio::pin!(connection);
    tokio::select! {
        _ = connection.as_mut() => {}
        _ = async { stopping.wait_for(|stop| *stop).await.map(|_| ()) } => {
            connection.as_mut().graceful_shutdown();
            let _ = connection.await;
        }
    }
}
