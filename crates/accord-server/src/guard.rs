//! Request guards against other sites, and JSON bodies for every error.
//!
//! A page on another site can make the user's browser send "simple"
//! requests (form posts, `text/plain` fetches) to a loopback server, and a
//! DNS-rebinding name can make such a page same-origin with it. So:
//! - the `Host` must name this server (a loopback name or the bound address,
//!   with its port), which defeats rebinding;
//! - requests that change the library or parse a scenario (every method but
//!   GET/HEAD/OPTIONS) must carry no `Origin` (non-browser clients) or one
//!   of this server's own;
//! - their bodies must be declared `application/json` or `application/toml`,
//!   types a cross-site page cannot send without a CORS preflight, which
//!   this server never grants.

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The host names this server answers to.
#[derive(Debug, Clone)]
pub(crate) struct Hosts {
    port: u16,
    names: Vec<String>,
    /// Bound to every interface: any IP literal reaches it (rebinding needs a name).
    any_ip: bool,
}

impl Hosts {
    /// The loopback names and the bound address, with the bound port.
    pub(crate) fn for_addr(addr: SocketAddr) -> Hosts {
        let mut names: Vec<String> = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        names.push(ip_name(addr.ip()));
        Hosts {
            port: addr.port(),
            names,
            any_ip: addr.ip().is_unspecified(),
        }
    }

    /// Whether an authority (`name[:port]`) names this server.
    pub(crate) fn allows(&self, authority: &str) -> bool {
        let Some((name, port)) = split_authority(authority) else {
            return false;
        };
        if port != self.port {
            return false;
        }
        let name = name.to_ascii_lowercase();
        let name = name.strip_suffix('.').unwrap_or(&name);
        if self.names.iter().any(|n| n == name) {
            return true;
        }
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        self.any_ip && literal.parse::<IpAddr>().is_ok()
    }
}

fn ip_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    }
}

/// `name[:port]` → (name, port), with port 80 when absent; IPv6 in brackets.
fn split_authority(a: &str) -> Option<(&str, u16)> {
    let (name, port) = if a.starts_with('[') {
        let end = a.find(']')?;
        let rest = &a[end + 1..];
        let port = match rest.strip_prefix(':') {
            Some(p) => Some(p),
            None if rest.is_empty() => None,
            None => return None,
        };
        (&a[..=end], port)
    } else {
        match a.rsplit_once(':') {
            Some((n, p)) => (n, Some(p)),
            None => (a, None),
        }
    };
    if name.is_empty() || name.contains(['@', '/', ' ']) {
        return None;
    }
    let port = match port {
        Some(p) => p.parse().ok()?,
        None => 80,
    };
    Some((name, port))
}

/// Methods that change the library or parse a scenario.
fn unsafe_method(m: &Method) -> bool {
    !matches!(*m, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether the request carries a body (declared length above 0, or chunked).
fn has_body(h: &HeaderMap) -> bool {
    h.contains_key(header::TRANSFER_ENCODING)
        || h.get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

/// The checks, in order: Host, Origin, Content-Type.
fn check(hosts: &Hosts, req: &Request) -> Result<(), ApiError> {
    let h = req.headers();
    let host = h
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .ok_or_else(|| ApiError::BadRequest("the request has no Host header".into()))?;
    if !hosts.allows(&host) {
        return Err(ApiError::Forbidden(format!(
            "host `{}` is not this server; use http://127.0.0.1:{}/ or http://localhost:{}/",
            host.chars().take(100).collect::<String>(),
            hosts.port,
            hosts.port
        )));
    }
    let method = req.method();
    if !unsafe_method(method) {
        return Ok(());
    }
    if let Some(origin) = h.get(header::ORIGIN) {
        let own = origin
            .to_str()
            .ok()
            .and_then(|o| o.strip_prefix("http://"))
            .is_some_and(|a| hosts.allows(a));
        if !own {
            return Err(ApiError::Forbidden(format!(
                "cross-site request refused: origin `{}` is not this server",
                String::from_utf8_lossy(origin.as_bytes())
                    .chars()
                    .take(100)
                    .collect::<String>()
            )));
        }
    }
    if *method == Method::DELETE && !has_body(h) {
        return Ok(());
    }
    let media = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        });
    match media.as_deref() {
        Some("application/json" | "application/toml") => Ok(()),
        other => Err(ApiError::UnsupportedType(format!(
            "send the body with `Content-Type: application/json` (or `application/toml` for \
             TOML text), not {}",
            other.map_or("none".to_string(), |t| format!("`{t}`"))
        ))),
    }
}

/// Middleware: refuses requests that fail [`check`].
pub(crate) async fn guard(State(hosts): State<Arc<Hosts>>, req: Request, next: Next) -> Response {
    match check(&hosts, &req) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

/// Middleware: error answers that are not JSON (the framework's own 400,
/// 405, 413, …) become `{"error": text, "errors": []}`, keeping the status
/// and headers such as `Allow`.
pub(crate) async fn json_errors(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let status = res.status();
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if status.as_u16() < 400 || is_json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let text = axum::body::to_bytes(body, 64 << 10)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() {
        reason(status)
    } else {
        text
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_TYPE);
    let json = Json(json!({"error": message, "errors": []})).into_response();
    let (jparts, jbody) = json.into_parts();
    parts.headers.extend(jparts.headers);
    Response::from_parts(parts, Body::new(jbody))
}

fn reason(status: StatusCode) -> String {
    status
        .canonical_reason()
        .map_or_else(|| status.to_string(), |r| r.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_the_loopback_names_and_the_bound_address() {
        let h = Hosts::for_addr("127.0.0.1:8080".parse().unwrap());
        for ok in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST.:8080",
            "[::1]:8080",
        ] {
            assert!(h.allows(ok), "{ok}");
        }
        for bad in [
            "attacker.example:8080",
            "localhost:8081",
            "localhost",
            "127.0.0.1:80",
            "10.0.0.5:8080",
            "user@localhost:8080",
            "[::1]x:8080",
            "",
        ] {
            assert!(!h.allows(bad), "{bad}");
        }
        let any = Hosts::for_addr("0.0.0.0:80".parse().unwrap());
        assert!(any.allows("10.0.0.5"));
        assert!(any.allows("[fe80::1]:80"));
        assert!(!any.allows("rebind.attacker.example"));
        let v6 = Hosts::for_addr("[::1]:9000".parse().unwrap());
        assert!(v6.allows("[::1]:9000") && !v6.allows("[::2]:9000"));
    }
}
