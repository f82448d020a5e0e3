//! Serving the application and starting chromedriver and Chromium.

use super::*;

/// Serves the application on a free local port for the browser.
pub(crate) async fn serve(app: &TestApp) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port");
    let addr = listener.local_addr().unwrap();
    let router = redes::app(app.state.clone());
    tokio::spawn(async move {
        axum::serve(listener, router).await.expect("serve");
    });
    format!("http://{addr}")
}

pub(crate) fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser-screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

pub(crate) fn chrome_binary() -> String {
    let bin = std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&bin).exists(),
        "Chromium not found at {bin}: install it (`apt-get install chromium chromium-driver`) or set CHROME_BIN"
    );
    bin
}

/// A WebDriver session in a fresh headless Chromium.
pub(crate) async fn new_session(driver: &str, profile: &Path) -> Client {
    let options = serde_json::json!({
        "binary": chrome_binary(),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            format!("--user-data-dir={}", profile.display()),
            "--window-size=1280,900",
        ],
    });
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    ClientBuilder::native()
        .capabilities(caps)
        .connect(driver)
        .await
        .unwrap_or_else(|e| {
            panic!("could not open a Chromium session through chromedriver at {driver}: {e}")
        })
}

/// chromedriver as a child process, killed (with the browsers it started)
/// when dropped, also when a test panics.
pub(crate) struct Chromedriver {
    pub(crate) child: Child,
    pub(crate) url: String,
    pub(crate) _log_dir: tempfile::TempDir,
}

impl Chromedriver {
    pub(crate) fn start() -> Chromedriver {
        let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| {
            if Path::new("/usr/bin/chromedriver").exists() {
                "/usr/bin/chromedriver".into()
            } else {
                "chromedriver".into()
            }
        });
        let port = free_port();
        let log_dir = tempfile::tempdir().expect("temp dir");
        let log = std::fs::File::create(log_dir.path().join("chromedriver.log")).expect("log file");
        let mut command = Command::new(&program);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log);
        // Its own process group, so the browsers it starts can be killed too.
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start chromedriver ({program}): {e}. The browser tests need Chromium and its driver: \
                 install them with `apt-get install chromium chromium-driver` (or set CHROMEDRIVER)"
            )
        });
        let mut driver = Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            _log_dir: log_dir,
        };
        driver.wait_until_listening(port);
        driver
    }

    pub(crate) fn wait_until_listening(&mut self, port: u16) {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        for _ in 0..300 {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(100)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                let log = std::fs::read_to_string(self._log_dir.path().join("chromedriver.log"))
                    .unwrap_or_default();
                panic!("chromedriver exited at start ({status}): {log}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("chromedriver did not listen on port {port}");
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The whole process group: chromedriver and any Chromium left behind.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0")
        .expect("free port")
        .local_addr()
        .unwrap()
        .port()
}
