//! HTTP concerns shared by every route: security headers, a guard that
//! refuses input no store can hold (NUL bytes, absurdly long query values)
//! before any handler sees it, and whether the request came over HTTPS.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::AppError;

/// Percent-encodes text for a query string value.
pub fn urlencode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// Longest value accepted in a query string (a search is limited further
/// by its handler).
pub const MAX_QUERY_VALUE_CHARS: usize = 1_000;

/// The Content-Security-Policy: scripts and styles only from our own
/// files (no inline script), map tiles from the configured server.
pub fn content_security_policy(tiles_url: &str) -> String {
    let tiles = tile_origin(tiles_url)
        .map(|o| format!(" {o}"))
        .unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{tiles}; \
         connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// `https://tile.example.org` from `https://tile.example.org/{z}/{x}/{y}.png`.
fn tile_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    let host = host.replace("{s}", "*");
    (!host.is_empty() && matches!(scheme, "http" | "https")).then(|| format!("{scheme}://{host}"))
}

/// Pages are compressed (`CompressionLayer`), and they carry a CSRF token
/// beside text the visitor chose (a search): a request started by another
/// site could then learn the token from the sizes of the answers (BREACH).
/// Such requests are answered uncompressed.
pub async fn no_compression_across_sites(mut request: Request, next: Next) -> Response {
    let cross_site = request
        .headers()
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site" || v.as_bytes() == b"same-site");
    if cross_site {
        request
            .headers_mut()
            .remove(axum::http::header::ACCEPT_ENCODING);
    }
    next.run(request).await
}

/// Adds the security headers to every response.
pub async fn security_headers(csp: HeaderValue, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let fixed: [(HeaderName, &str); 4] = [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("permissions-policy"),
            "camera=(), microphone=(), geolocation=()",
        ),
    ];
    for (name, value) in fixed {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    }
    headers
        .entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(csp);
    response
}

/// True when the browser talks to us over HTTPS: directly, or through a
/// proxy that says so. Marking a cookie `Secure` on a false claim only
/// hides it from the claimant's own plain-HTTP requests, so the header
/// need not be trusted further.
pub fn is_https(headers: &HeaderMap) -> bool {
    let forwarded_proto = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').next().unwrap_or("").trim() == "https");
    let forwarded = headers
        .get(header::FORWARDED)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("proto=https"));
    forwarded_proto || forwarded
}

/// Refuses, naming the field, a query value or body field with a NUL byte
/// (PostgreSQL cannot store one) and an over-long query value. The text of
/// a search, `q`, is bounded by its handler instead: the full-text search
/// reads its first 200 characters of whatever was pasted, the lists refuse
/// more than 200.
pub async fn input_guard(request: Request, next: Next) -> Response {
    if let Some(query) = request.uri().query() {
        for (name, value) in form_urlencoded::parse(query.as_bytes()) {
            let problem = match name.as_ref() {
                "q" => value.contains('\0').then(|| NUL_MESSAGE.to_string()),
                _ => query_problem(&value),
            };
            if let Some(problem) = problem {
                return AppError::field(&name, problem).into_response();
            }
        }
    }
    let writes = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    let kind = body_kind(request.headers());
    if !writes || kind == BodyKind::Other {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, crate::MAX_BODY_BYTES).await {
        Ok(b) => b,
        Err(_) => return AppError::TooLarge.into_response(),
    };
    let nul_field = match kind {
        BodyKind::Form => form_urlencoded::parse(&bytes)
            .find(|(k, v)| k.contains('\0') || v.contains('\0'))
            .map(|(k, _)| k.replace('\0', "")),
        BodyKind::Json => serde_json::from_slice::<serde_json::Value>(&bytes)
            .ok()
            .and_then(|v| json_nul_path(&v, "")),
        BodyKind::Other => None,
    };
    if let Some(field) = nul_field {
        let field = if field.is_empty() {
            "body".into()
        } else {
            field
        };
        return AppError::field(&field, "common-contiene-caracter-nulo-nul-no-admite")
            .into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

const NUL_MESSAGE: &str = "common-contiene-caracter-nulo-nul-no-admite";

fn query_problem(value: &str) -> Option<String> {
    if value.contains('\0') {
        return Some(NUL_MESSAGE.into());
    }
    let count = value.chars().count();
    (count > MAX_QUERY_VALUE_CHARS).then(|| {
        crate::text::message(
            "common-no-puede-superar-caracteres-tiene-3",
            &[
                ("MAX_QUERY_VALUE_CHARS", &MAX_QUERY_VALUE_CHARS),
                ("count", &count),
            ],
        )
    })
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum BodyKind {
    Form,
    Json,
    Other,
}

fn body_kind(headers: &HeaderMap) -> BodyKind {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("application/x-www-form-urlencoded") {
        BodyKind::Form
    } else if content_type.starts_with("application/json") {
        BodyKind::Json
    } else {
        BodyKind::Other
    }
}

/// The path (`name`, `items.2.title`) of the first string holding a NUL.
fn json_nul_path(value: &serde_json::Value, at: &str) -> Option<String> {
    let join = |key: &str| {
        if at.is_empty() {
            key.to_string()
        } else {
            format!("{at}.{key}")
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(at.to_string()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| json_nul_path(v, &join(&i.to_string()))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k.contains('\0') {
                Some(join(&k.replace('\0', "")))
            } else {
                json_nul_path(v, &join(k))
            }
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_only_our_files_and_the_tile_server() {
        let csp = content_security_policy("https://{s}.tile.example.org/{z}/{x}/{y}.png");
        assert!(csp.contains("script-src 'self';"), "{csp}");
        assert!(csp.contains("img-src 'self' data: https://*.tile.example.org;"));
        assert!(csp.contains("frame-ancestors 'none'"));
        assert!(!content_security_policy("").contains("unsafe-inline"));
    }

    #[test]
    fn nul_bytes_are_found_by_their_path() {
        let v = serde_json::json!({ "name": "ok", "items": [{ "title": "a\u{0}b" }] });
        assert_eq!(json_nul_path(&v, "").as_deref(), Some("items.0.title"));
        assert_eq!(json_nul_path(&serde_json::json!({ "a": 1 }), ""), None);
    }

    #[test]
    fn https_is_recognised_behind_a_proxy() {
        let mut h = HeaderMap::new();
        assert!(!is_https(&h));
        h.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(is_https(&h));
        let mut h = HeaderMap::new();
        h.insert(
            header::FORWARDED,
            HeaderValue::from_static("for=1.2.3.4;proto=https"),
        );
        assert!(is_https(&h));
    }
}

/// One part of a `multipart/form-data` body: a field or a file.
#[derive(Debug, Clone)]
pub struct Part {
    pub name: String,
    /// The file name the browser sent (a file part), as sent.
    pub filename: Option<String>,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// The parts of a `multipart/form-data` body (`content_type` is the
/// request's header, which names the boundary); `None` when it does not
/// parse.
pub fn multipart(content_type: &str, body: &[u8]) -> Option<Vec<Part>> {
    let boundary = content_type
        .split(';')
        .map(str::trim)
        .find_map(|p| p.strip_prefix("boundary="))?
        .trim_matches('"');
    if boundary.is_empty()
        || !content_type
            .to_ascii_lowercase()
            .starts_with("multipart/form-data")
    {
        return None;
    }
    let delimiter = format!("--{boundary}").into_bytes();
    let find = |hay: &[u8], needle: &[u8], from: usize| -> Option<usize> {
        hay.get(from..)?
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    let mut parts = Vec::new();
    let mut at = find(body, &delimiter, 0)? + delimiter.len();
    loop {
        if body.get(at..at + 2) == Some(b"--") {
            return Some(parts);
        }
        at += 2; // CRLF after the delimiter
        let head_end = find(body, b"\r\n\r\n", at)?;
        let head = std::str::from_utf8(&body[at..head_end]).ok()?;
        let data_start = head_end + 4;
        let mut closing = b"\r\n".to_vec();
        closing.extend_from_slice(&delimiter);
        let data_end = find(body, &closing, data_start)?;
        let mut part = Part {
            name: String::new(),
            filename: None,
            content_type: String::new(),
            data: body[data_start..data_end].to_vec(),
        };
        for line in head.split("\r\n") {
            let (key, value) = line.split_once(':')?;
            match key.trim().to_ascii_lowercase().as_str() {
                "content-disposition" => {
                    for item in value.split(';').map(str::trim) {
                        if let Some(v) = item.strip_prefix("name=") {
                            part.name = v.trim_matches('"').to_string();
                        } else if let Some(v) = item.strip_prefix("filename=") {
                            part.filename = Some(v.trim_matches('"').to_string());
                        }
                    }
                }
                "content-type" => part.content_type = value.trim().to_string(),
                _ => {}
            }
        }
        parts.push(part);
        at = data_end + closing.len();
    }
}

#[cfg(test)]
mod multipart_tests {
    #[test]
    fn fields_and_files_of_a_multipart_body() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\ntok\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"acta.txt\"\r\nContent-Type: text/plain\r\n\r\nl\xc3\xadnea\r\n--XyZ--\r\n";
        let parts = super::multipart("multipart/form-data; boundary=XyZ", body).unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(
            (parts[0].name.as_str(), parts[0].data.as_slice()),
            ("_csrf", &b"tok"[..])
        );
        assert_eq!(parts[1].filename.as_deref(), Some("acta.txt"));
        assert_eq!(parts[1].data, "línea".as_bytes());
        assert!(super::multipart("multipart/form-data; boundary=XyZ", b"garbage").is_none());
    }
}
