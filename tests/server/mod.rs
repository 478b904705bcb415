//! A running `brikg serve` for the tests that talk to one over HTTP (`hostile.rs`,
//! `w3c_protocol.rs`): started on a free port of 127.0.0.1, its log kept, stopped when dropped.

#![allow(dead_code)]

use crate::common::{self, Brikg};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A running `brikg serve` on a free port of 127.0.0.1, stopped (SIGTERM) when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub log: Arc<Mutex<Vec<String>>>,
}

impl Server {
    pub fn start(brikg: &Brikg, extra: &[&str], env: &[(&str, &str)]) -> Server {
        let mut build = brikg.command(&["build", "-q"]);
        for (k, v) in env {
            build.env(k, v);
        }
        common::to_run(build.output().unwrap()).ok();
        let mut cmd = brikg.command(&[&["serve", "--bind", "127.0.0.1:0"], extra].concat());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("brikg serve");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let lines = log.clone();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(rest) = line.split(" at http://").nth(1) {
                        let address = rest.split('/').next().unwrap().to_owned();
                        tx.send(address).unwrap();
                        sent = true;
                    }
                }
                lines.lock().unwrap().push(line);
            }
        });
        let address = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the server says where it listens");
        Server {
            child,
            base: format!("http://{address}"),
            log,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// What a browser check (`tests/engines/SCRIPT.py`, Debian's Chromium, headless) reads from
    /// the page at `/` of this server, as JSON; its screenshots go to `shots`.
    pub fn in_browser(&self, script: &str, shots: &Path, args: &[&str]) -> serde_json::Value {
        let out = Command::new("python3")
            .arg(
                common::repo()
                    .join("tests/engines")
                    .join(format!("{script}.py")),
            )
            .arg(self.url("/"))
            .arg(shots)
            .args(args)
            .output()
            .expect("python3");
        assert!(
            out.status.success(),
            "{script}.py (needs Debian's chromium: scripts/install-deps --test): {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    }

    /// The server's log once a line contains `needle` (a request's line follows its answer), or
    /// after 10 s without one, for the assertion to show.
    pub fn log_once(&self, needle: &str) -> String {
        for _ in 0..200 {
            if self.log.lock().unwrap().iter().any(|l| l.contains(needle)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.log.lock().unwrap().join("\n")
    }

    pub fn stop(&mut self) -> std::process::ExitStatus {
        unsafe_kill(self.child.id(), "TERM");
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn unsafe_kill(pid: u32, signal: &str) {
    Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
}

/// A directory for a browser check's screenshots, kept after the tests as their artefacts.
pub fn shots(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// Status, content type and body of a response.
pub fn read(mut r: ureq::http::Response<ureq::Body>) -> (u16, String, String) {
    let ct = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (
        r.status().as_u16(),
        ct,
        r.body_mut().read_to_string().unwrap(),
    )
}

pub fn encode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
