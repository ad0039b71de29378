//! A small HTTP client for tests and benchmarks that talk to a running `wegbereiter serve`:
//! hyper-util's pooled HTTP/1 client, the sign-in with the form's CSRF token, and cookies
//! carried by hand (one [`Session`] per signed-in person).

use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, StatusCode};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// The name of the web frontend's session cookie (`wegbereiter_web::SESSION_COOKIE`).
pub const SESSION_COOKIE: &str = "wegbereiter_session";
/// The name of the sign-in form's CSRF cookie on plain HTTP.
pub const CSRF_COOKIE: &str = "wegbereiter_csrf";

/// How long one request may take before it counts as failed.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// One answer: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
    /// The body as sent (compressed if the request allowed it).
    pub body: Bytes,
}

impl Answer {
    /// The body as text (lossy).
    #[must_use]
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The value of the cookie `name` this answer sets, if it sets one.
    #[must_use]
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|v| {
                let (pair, _) = v.split_once(';').unwrap_or((v, ""));
                let (k, value) = pair.split_once('=')?;
                (k.trim() == name).then(|| value.trim().to_owned())
            })
    }

    /// The `Location` header, if any.
    #[must_use]
    pub fn location(&self) -> Option<String> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
}

/// A pooled HTTP/1 client for one server (`http://ADDR`).
#[derive(Clone, Debug)]
pub struct Http {
    client: Client<HttpConnector, Full<Bytes>>,
    base: String,
}

/// A signed-in person: the session cookie, and the CSRF token of the last page read.
#[derive(Clone, Debug)]
pub struct Session {
    /// The sign-in name.
    pub login: String,
    /// The session cookie's value.
    pub cookie: String,
}

impl Http {
    /// A client for the server at `addr` (`127.0.0.1:PORT`), keeping up to `idle`
    /// connections open.
    #[must_use]
    pub fn new(addr: &str, idle: usize) -> Self {
        let mut connector = HttpConnector::new();
        connector.set_nodelay(true);
        let client = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(idle)
            .pool_idle_timeout(Duration::from_secs(90))
            .build(connector);
        Self {
            client,
            base: format!("http://{addr}"),
        }
    }

    /// The base URL, `http://ADDR`.
    #[must_use]
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends one request and reads the whole answer.
    ///
    /// # Errors
    /// A description of what failed (connection, timeout, a header that cannot be sent).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        headers: &[(header::HeaderName, String)],
        body: Option<String>,
    ) -> Result<Answer, String> {
        let mut req = Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header(header::ACCEPT_LANGUAGE, "de");
        for (name, value) in headers {
            let value = HeaderValue::from_str(value).map_err(|e| format!("{name}: {e}"))?;
            req = req.header(name, value);
        }
        let body = match body {
            Some(form) => {
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                Full::new(Bytes::from(form))
            }
            None => Full::new(Bytes::new()),
        };
        let req = req.body(body).map_err(|e| e.to_string())?;
        let sent = async {
            let res = self
                .client
                .request(req)
                .await
                .map_err(|e| format!("{path}: {e}"))?;
            let (parts, body) = res.into_parts();
            let body = body
                .collect()
                .await
                .map_err(|e| format!("{path}: body: {e}"))?
                .to_bytes();
            Ok(Answer {
                status: parts.status,
                headers: parts.headers,
                body,
            })
        };
        tokio::time::timeout(REQUEST_TIMEOUT, sent)
            .await
            .map_err(|_| format!("{path}: no answer within {REQUEST_TIMEOUT:?}"))?
    }

    /// GET `path`, signed in as `session` if given.
    ///
    /// # Errors
    /// See [`Http::send`].
    pub async fn get(&self, path: &str, session: Option<&Session>) -> Result<Answer, String> {
        let headers: Vec<_> = session
            .map(|s| (header::COOKIE, format!("{SESSION_COOKIE}={}", s.cookie)))
            .into_iter()
            .collect();
        self.send(Method::GET, path, &headers, None).await
    }

    /// POST the form `fields` to `path` as `session`, with the CSRF token `csrf` of the page
    /// that showed the form.
    ///
    /// # Errors
    /// See [`Http::send`].
    pub async fn post(
        &self,
        path: &str,
        session: &Session,
        csrf: &str,
        fields: &[(&str, &str)],
    ) -> Result<Answer, String> {
        let mut all = vec![("_csrf", csrf)];
        all.extend_from_slice(fields);
        let form = serde_urlencoded::to_string(&all).map_err(|e| e.to_string())?;
        let headers = [(
            header::COOKIE,
            format!("{SESSION_COOKIE}={}", session.cookie),
        )];
        self.send(Method::POST, path, &headers, Some(form)).await
    }

    /// POST the form `fields` (token included, if the form needs one) to `path` with the
    /// `Cookie` header `cookies` (`NAME=VALUE; …`) as it is: for forms that are posted
    /// without a session, such as the sign-in form with its CSRF cookie.
    ///
    /// # Errors
    /// See [`Http::send`].
    pub async fn post_with_cookies(
        &self,
        path: &str,
        cookies: &str,
        fields: &[(&str, &str)],
    ) -> Result<Answer, String> {
        let form = serde_urlencoded::to_string(fields).map_err(|e| e.to_string())?;
        self.send(
            Method::POST,
            path,
            &[(header::COOKIE, cookies.to_owned())],
            Some(form),
        )
        .await
    }

    /// Signs in as `login` with `password` through the sign-in form (its CSRF cookie and
    /// token) and returns the session.
    ///
    /// # Errors
    /// When the form cannot be read or the sign-in is not answered with a redirect and a
    /// session cookie.
    pub async fn sign_in(&self, login: &str, password: &str) -> Result<Session, String> {
        let form = self.get("/login", None).await?;
        if form.status != StatusCode::OK {
            return Err(format!("GET /login: {}", form.status));
        }
        let cookie = form
            .set_cookie(CSRF_COOKIE)
            .ok_or("GET /login set no CSRF cookie")?;
        let token = csrf_token(&form.text()).ok_or("the sign-in form has no CSRF token")?;
        let body = serde_urlencoded::to_string([
            ("_csrf", token.as_str()),
            ("login", login),
            ("password", password),
        ])
        .map_err(|e| e.to_string())?;
        let answer = self
            .send(
                Method::POST,
                "/login",
                &[(header::COOKIE, format!("{CSRF_COOKIE}={cookie}"))],
                Some(body),
            )
            .await?;
        if answer.status != StatusCode::SEE_OTHER {
            return Err(format!(
                "signing in as {login}: {} {}",
                answer.status,
                answer.text().chars().take(300).collect::<String>()
            ));
        }
        let cookie = answer
            .set_cookie(SESSION_COOKIE)
            .ok_or_else(|| format!("signing in as {login} set no session cookie"))?;
        Ok(Session {
            login: login.to_owned(),
            cookie,
        })
    }
}

/// The CSRF token of a page (the hidden `_csrf` field of its forms).
#[must_use]
pub fn csrf_token(html: &str) -> Option<String> {
    hidden_field(html, "_csrf")
}

/// The value of the first hidden (or any) input named `name` on a page.
#[must_use]
pub fn hidden_field(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

/// The distinct case ids a page links to (`href="/cases/ID"`), in order of appearance.
#[must_use]
pub fn case_links(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let marker = "href=\"/cases/";
    let mut rest = html;
    while let Some(at) = rest.find(marker) {
        rest = &rest[at + marker.len()..];
        let id: String = rest
            .chars()
            .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
            .collect();
        if id.len() == 36 && !out.contains(&id) {
            out.push(id);
        }
    }
    out
}
