//! A small blocking HTTP client for the W3C protocols brikg speaks: it answers HTTP basic and
//! digest challenges, retries 5xx answers and connection failures with exponential backoff (and
//! nothing else), and runs SPARQL queries against remote endpoints.

use crate::error::{Error, Result};
pub use crate::iris::percent_encode;
use http_auth::{PasswordClient, PasswordParams};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsParser};
use oxigraph::sparql::QueryResults;
use std::fs::File;
use std::io::Seek;
use std::time::Duration;

/// A user name and password for HTTP basic or digest authentication.
#[derive(Clone)]
pub struct Credentials {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credentials {{ user: {:?}, password: <hidden> }}",
            self.user
        )
    }
}

/// A request body: sent again, identically, on every retry.
#[derive(Clone, Copy)]
pub enum Body<'a> {
    None,
    /// A file, sent from the start with its length, so memory stays flat.
    File(&'a File),
    Bytes(&'a [u8]),
}

/// The client; one per command, so a digest challenge is answered once and reused.
pub struct HttpClient {
    agent: ureq::Agent,
    credentials: Option<Credentials>,
    auth: Option<PasswordClient>,
    retries: u32,
    /// The time limit of each request.
    timeout: Duration,
    /// Why the last answer was not whole, if its engine said so.
    cut: Option<String>,
}

impl HttpClient {
    /// A client with a per-request time limit and a number of retries for 5xx answers and
    /// connection failures.
    pub fn new(credentials: Option<Credentials>, timeout: Duration, retries: u32) -> Self {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(10)))
            .timeout_global(Some(timeout))
            .max_redirects(0)
            .build()
            .into();
        HttpClient {
            cut: None,
            timeout,
            agent,
            credentials,
            auth: None,
            retries,
        }
    }

    /// Whether a user name and password were given.
    pub fn has_credentials(&self) -> bool {
        self.credentials.is_some()
    }

    /// The `Authorization` header for a request, once a challenge asked for one.
    fn authorization(&mut self, method: &str, url: &str) -> Result<Option<String>> {
        let (Some(auth), Some(creds)) = (self.auth.as_mut(), self.credentials.as_ref()) else {
            return Ok(None);
        };
        let uri = request_target(url);
        auth.respond(&PasswordParams {
            username: &creds.user,
            password: &creds.password,
            uri: &uri,
            method,
            body: None,
        })
        .map(Some)
        .map_err(|e| {
            Error::Push(format!(
                "cannot answer the server's authentication challenge: {e}"
            ))
        })
    }

    /// Sends a request and returns the status and the body's text. A 401 with credentials
    /// available is answered once; 5xx answers and connection failures are retried.
    pub fn request(
        &mut self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
    ) -> Result<(u16, String)> {
        let mut attempt = 0;
        let mut challenged = false;
        loop {
            let authorization = self.authorization(method, url)?;
            let mut builder = ureq::http::Request::builder().method(method).uri(url);
            for (k, v) in headers {
                builder = builder.header(*k, *v);
            }
            if let Some(a) = &authorization {
                builder = builder.header("Authorization", a.as_str());
            }
            let invalid = |e: ureq::http::Error| Error::Push(format!("{method} {url}: {e}"));
            let result = match body {
                Body::File(mut file) => {
                    file.rewind()
                        .map_err(|e| Error::Push(format!("cannot reread the file to send: {e}")))?;
                    self.agent.run(builder.body(file).map_err(invalid)?)
                }
                Body::Bytes(bytes) => self.agent.run(builder.body(bytes).map_err(invalid)?),
                Body::None => self.agent.run(builder.body(()).map_err(invalid)?),
            };
            let failure = match result {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    if status == 401 && !challenged && self.credentials.is_some() {
                        let mut challenges = PasswordClient::builder();
                        for value in response.headers().get_all("www-authenticate") {
                            if let Ok(v) = value.to_str() {
                                challenges = challenges.challenges(v);
                            }
                        }
                        self.auth = Some(challenges.build().map_err(|e| {
                            Error::Push(format!("{method} {url}: 401 Unauthorized with a challenge brikg cannot answer: {e}"))
                        })?);
                        challenged = true;
                        continue;
                    }
                    self.cut = cut(response.headers());
                    // Whole answers, however long: ureq stops reading at 10 MB by default, and a
                    // listing of 13,000 figures is 11.5 MB of SPARQL JSON.
                    let text = response
                        .body_mut()
                        .with_config()
                        .limit(u64::MAX)
                        .read_to_string()
                        .map_err(|e| {
                            Error::Push(format!("{method} {url}: reading the answer failed: {e}"))
                        })?;
                    if status < 500 {
                        return Ok((status, text));
                    }
                    // Virtuoso's time limit: asking again would only wait as long again.
                    if let Some(why) = out_of_time(&text) {
                        return Err(Error::Push(format!("{method} {url}: {why}")));
                    }
                    format!("{status} {}", first_line(&text))
                }
                // A time limit is the user's: asking again would only wait as long again.
                Err(ureq::Error::Timeout(_)) => {
                    return Err(Error::Push(format!(
                        "{method} {url}: no answer within the time limit ({} s)",
                        self.timeout.as_secs_f64()
                    )))
                }
                Err(e) => e.to_string(),
            };
            if attempt >= self.retries {
                let attempts = attempt + 1;
                let plural = if attempts == 1 { "" } else { "s" };
                return Err(Error::Push(format!(
                    "{method} {url}: {failure} (after {attempts} attempt{plural})"
                )));
            }
            std::thread::sleep(Duration::from_millis(500 << attempt.min(6)));
            attempt += 1;
        }
    }

    /// Runs a SPARQL query at a SPARQL 1.1 Protocol endpoint (POST, form-encoded) and parses
    /// the SPARQL results JSON answer.
    pub fn sparql_query(&mut self, endpoint: &str, query: &str) -> Result<QueryResults<'static>> {
        let form = format!("query={}", percent_encode(query));
        let (status, text) = self.request(
            "POST",
            endpoint,
            &[
                ("Content-Type", "application/x-www-form-urlencoded"),
                ("Accept", "application/sparql-results+json"),
            ],
            Body::Bytes(form.as_bytes()),
        )?;
        if status != 200 {
            return Err(Error::Query(format!(
                "{endpoint}: {status} {}",
                first_line(&text)
            )));
        }
        if let Some(why) = self.cut.take() {
            return Err(Error::Query(format!("{endpoint}: {why}")));
        }
        let parsed = QueryResultsParser::from_format(QueryResultsFormat::Json)
            .for_reader(std::io::Cursor::new(text.into_bytes()))
            .map_err(|e| {
                Error::Query(format!(
                    "{endpoint}: the answer is not SPARQL results JSON: {e}"
                ))
            })?;
        Ok(parsed.into())
    }
}

/// Why an answer is not all of it, from the headers by which an engine says so: Virtuoso's
/// `X-SPARQL-MaxRows` (the answer reached `ResultSetMaxRows`) and `X-SQL-State: S1TAT` (an
/// "anytime" answer, partial after `MaxQueryExecutionTime`). A cut answer is refused rather than
/// printed as if it were whole.
fn cut(headers: &ureq::http::HeaderMap) -> Option<String> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(rows) = header("x-sparql-maxrows") {
        return Some(format!(
            "the answer was cut at {rows} rows (Virtuoso's ResultSetMaxRows): raise ResultSetMaxRows in the [SPARQL] section of virtuoso.ini, or ask for fewer rows with LIMIT and OFFSET"
        ));
    }
    if header("x-sql-state") == Some("S1TAT") {
        return Some("the answer is partial: the query ran out of time and Virtuoso returned what it had (an anytime answer): raise MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini".to_owned());
    }
    None
}

/// Why a server error is the end of a query rather than a failure to retry: Virtuoso stops a
/// query that runs past `MaxQueryExecutionTime` with `SR171: Transaction timed out` (when it has
/// no partial "anytime" answer to give), and each attempt would wait that long again.
fn out_of_time(text: &str) -> Option<String> {
    let line = first_line(text);
    line.contains("SR171").then(|| {
        format!("the query ran out of time ({line}): raise MaxQueryExecutionTime in the [SPARQL] section of virtuoso.ini, or ask for less with a parameter")
    })
}

/// The request target (path and query) of a URL, which digest authentication signs.
fn request_target(url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    match after_scheme.find('/') {
        Some(i) => after_scheme[i..].to_owned(),
        None => "/".to_owned(),
    }
}

/// The first non-empty line of a server's answer, cut to 200 characters, for messages.
pub fn first_line(text: &str) -> &str {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    match line.char_indices().nth(200) {
        Some((i, _)) => &line[..i],
        None => line,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_target_is_path_and_query() {
        assert_eq!(
            request_target("http://127.0.0.1:8890/a/b?graph=x%2F"),
            "/a/b?graph=x%2F"
        );
        assert_eq!(request_target("http://host"), "/");
    }
}
