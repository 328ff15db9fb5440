//! Finding the engine wherever it lives, and surviving it going away.
//!
//! A second path to the same real engine is a socat proxy on its own unix
//! socket: found through DOCKER_HOST, a docker context in a temporary
//! DOCKER_CONFIG, and --host. Stopping the proxy is the engine vanishing
//! for the app (its connections drop, the socket disappears); starting it
//! again is the engine coming back.

mod support;

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use docktutor::docker::{self, discover::Env};
use sha2::{Digest, Sha256};
use support::pty::Pty;
use support::*;

const SHORT: Duration = Duration::from_secs(10);

/// A unix socket that forwards to the real engine's socket.
struct Proxy {
    path: PathBuf,
    child: Option<Child>,
}

impl Proxy {
    fn start(path: &Path) -> Proxy {
        let mut p = Proxy {
            path: path.to_path_buf(),
            child: None,
        };
        p.up();
        p
    }

    fn up(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        let child = Command::new("socat")
            .arg(format!("UNIX-LISTEN:{},fork", self.path.display()))
            .arg("UNIX-CONNECT:/var/run/docker.sock")
            // Its own process group, so stopping it also cuts the
            // connections its forked children carry.
            .process_group(0)
            .spawn()
            .expect("socat (apt-get install socat)");
        let start = Instant::now();
        while !self.path.exists() && start.elapsed() < SHORT {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(
            self.path.exists(),
            "socat did not listen on {}",
            self.path.display()
        );
        self.child = Some(child);
    }

    fn down(&mut self) {
        if let Some(mut c) = self.child.take() {
            // `--` matters: without it kill(1) reads "-1234" as options and
            // may signal every process (pid -1).
            let _ = Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{}", c.id())])
                .status();
            let _ = c.wait();
        }
        let _ = std::fs::remove_file(&self.path);
    }

    fn address(&self) -> String {
        format!("unix://{}", self.path.display())
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.down();
    }
}

/// These tests proxy, tunnel or wrap the engine's own socket, so they need
/// it at /var/run/docker.sock. Without it (an engine reached through
/// DOCKER_HOST, rootless Docker) they skip loudly — and fail under CI.
fn engine_or_skip() -> bool {
    if !engine_available() {
        return false;
    }
    socket_or_skip(Path::new("/var/run/docker.sock"))
}

fn socket_or_skip(socket: &Path) -> bool {
    if socket.exists() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but {} does not exist: the discovery tests need the engine's socket there",
        socket.display()
    );
    eprintln!(
        "\n!!!!!!!! SKIPPED: no {} — the discovery tests need the engine's socket there !!!!!!!!\n",
        socket.display()
    );
    false
}

/// A missing socket under CI is a failure, never a silent pass.
#[test]
fn a_missing_socket_fails_under_ci() {
    let missing = Path::new("/nonexistent/docktutor-test.sock");
    let under_ci = std::env::var_os("CI").is_some();
    let outcome = std::panic::catch_unwind(|| socket_or_skip(missing));
    if under_ci {
        assert!(
            outcome.is_err(),
            "CI set: a missing socket must fail the test"
        );
    } else {
        assert_eq!(outcome.ok(), Some(false), "without CI: a loud skip");
    }
}

fn write_context(config: &Path, name: &str, host: &str) {
    let hash: String = Sha256::digest(name.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let meta = config.join("contexts/meta").join(hash);
    std::fs::create_dir_all(&meta).expect("mkdir");
    std::fs::write(
        meta.join("meta.json"),
        format!(r#"{{"Name":"{name}","Metadata":{{"Description":"test"}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":false}}}}}}"#),
    )
    .expect("meta.json");
}

fn doctor_json(envs: &[(&str, &str)], args: &[&str]) -> (i32, serde_json::Value) {
    let mut cmd = Command::new(bin());
    cmd.arg("doctor")
        .arg("--json")
        .args(args)
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("doctor");
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), json)
}

#[test]
fn the_same_engine_is_found_through_docker_host_a_context_and_host() {
    if !engine_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let proxy = Proxy::start(&dir.path().join("proxy.sock"));
    let addr = proxy.address();
    let empty_config = dir.path().join("empty-config");
    std::fs::create_dir_all(&empty_config).expect("mkdir");
    let empty = empty_config.to_str().expect("utf8");

    // DOCKER_HOST
    let (code, j) = doctor_json(&[("DOCKER_HOST", &addr), ("DOCKER_CONFIG", empty)], &[]);
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["engine"]["address"], addr.as_str());
    assert_eq!(j["engine"]["found"], "from DOCKER_HOST");

    // The current context of a config.json, resolved through its meta.json.
    let config = dir.path().join("docker-config");
    write_context(&config, "classroom", &addr);
    std::fs::write(
        config.join("config.json"),
        r#"{"currentContext":"classroom"}"#,
    )
    .expect("config.json");
    let cfg = config.to_str().expect("utf8");
    let (code, j) = doctor_json(&[("DOCKER_CONFIG", cfg)], &[]);
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["engine"]["address"], addr.as_str());
    assert!(
        j["engine"]["found"]
            .as_str()
            .unwrap_or("")
            .contains("classroom"),
        "{j}"
    );

    // DOCKER_CONTEXT names it explicitly (config.json says nothing).
    std::fs::write(config.join("config.json"), "{}").expect("config.json");
    let (code, j) = doctor_json(
        &[("DOCKER_CONFIG", cfg), ("DOCKER_CONTEXT", "classroom")],
        &[],
    );
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["engine"]["found"], "from DOCKER_CONTEXT=classroom");

    // --host beats them all.
    let (code, j) = doctor_json(
        &[
            ("DOCKER_HOST", "unix:///nonexistent.sock"),
            ("DOCKER_CONFIG", empty),
        ],
        &["--host", &addr],
    );
    assert_eq!(code, 0, "{j}");
    assert_eq!(j["engine"]["found"], "from --host");

    // And the library agrees, with the engine's name and version.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    let conn = rt
        .block_on(docker::connect(&Env {
            docker_host: Some(addr.clone()),
            ..Env::default()
        }))
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!conn.info.version.is_empty());
    assert!(!conn.info.api_version.is_empty());
}

#[test]
fn without_an_engine_doctor_says_so_and_file_lessons_still_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("my-docker-app");
    write_guide(&ws);
    let (code, j) = doctor_json(&[("DOCKER_HOST", "unix:///nonexistent/docker.sock")], &[]);
    assert_eq!(code, 1, "{j}");
    assert_eq!(j["ready"], false);
    assert_eq!(j["tried"][0]["address"], "unix:///nonexistent/docker.sock");
    assert!(
        j["problems"][0]["fix"]
            .as_str()
            .unwrap_or("")
            .contains("DOCKER_HOST"),
        "{j}"
    );

    let check = |lessons: &[&str]| {
        Command::new(bin())
            .arg("check")
            .args(lessons)
            .arg("--workdir")
            .arg(&ws)
            .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
            .env("DOCKTUTOR_DATA_DIR", dir.path().join("data"))
            .output()
            .expect("check")
    };
    let files = check(&["1", "2"]);
    assert!(
        files.status.success(),
        "{}",
        String::from_utf8_lossy(&files.stdout)
    );
    let engine = check(&["3"]);
    assert_eq!(engine.status.code(), Some(1));
    let text = String::from_utf8_lossy(&engine.stdout);
    assert!(text.contains("no Docker engine"), "{text}");
    assert!(
        text.contains("◌"),
        "engine checks wait, they do not fail: {text}"
    );
}

/// A one-lesson course that builds the guide under a unique tag.
fn build_lesson(dir: &Path, tag: &str) -> PathBuf {
    let lessons = dir.join("lessons");
    std::fs::create_dir_all(&lessons).expect("mkdir");
    std::fs::write(
        lessons.join("01-build.md"),
        format!("+++\nid = \"build\"\ntitle = \"Build it\"\nhint = \"Enter\"\n[action]\nkind = \"build\"\ntag = \"{tag}\"\n[[checks]]\nkind = \"image_exists\"\nimage = \"{tag}\"\n+++\n# Build\n"),
    )
    .expect("lesson");
    lessons
}

/// Connected: the status bar names the engine, no error in sight.
fn connected(s: &str) -> bool {
    s.contains("from DOCKER_HOST)")
        && s.contains(" ● ")
        && !s.contains("no engine at")
        && !s.contains("no Docker engine")
}

fn spawn_app(dir: &Path, ws: &Path, lessons: &Path, host: &str) -> Pty {
    let cmd = format!(
        "{} --workdir {} --lessons {}; echo __EXIT=$?; sleep 1",
        bin().display(),
        ws.display(),
        lessons.display()
    );
    Pty::spawn(
        "sh",
        &["-c", &cmd],
        &[
            ("DOCKER_HOST", host),
            (
                "DOCKTUTOR_DATA_DIR",
                dir.join("data").to_str().expect("utf8"),
            ),
        ],
        dir,
        100,
        30,
    )
}

#[test]
fn the_app_reconnects_when_the_engine_comes_back_and_then_builds() {
    if !engine_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("my-docker-app");
    write_guide(&ws);
    let tag = unique("docktutor-test-reconnect");
    let _guard = ImageGuard::new(tag.clone());
    let lessons = build_lesson(dir.path(), &tag);
    let mut proxy = Proxy::start(&dir.path().join("engine.sock"));
    let mut pty = spawn_app(dir.path(), &ws, &lessons, &proxy.address());

    pty.wait_for("connected", SHORT, connected);
    proxy.down();
    let s = pty.wait_text("no engine at", SHORT);
    assert!(
        s.contains("engine.sock"),
        "the address tried is shown:\n{s}"
    );

    proxy.up();
    let back = Instant::now();
    pty.wait_for("reconnected", SHORT, connected);
    let took = back.elapsed();
    eprintln!("reconnected {took:?} after the engine came back");
    assert!(
        took < Duration::from_secs(5),
        "reconnected only after {took:?}"
    );

    pty.send("\r");
    pty.wait_text("✓ built", Duration::from_secs(120));
    pty.wait_text("Checks 1/1 ✓ passed", SHORT);
    pty.send("q");
    assert_eq!(pty.wait_exit(SHORT), Some(0));
}

#[test]
fn an_engine_killed_during_a_build_interrupts_it_and_the_app_keeps_going() {
    if !engine_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("my-docker-app");
    write_guide(&ws);
    // A step that takes a while, so the engine can vanish during it.
    std::fs::write(
        ws.join("Dockerfile"),
        format!(
            "FROM python:3.9-slim\nRUN echo {} && sleep 4\nCMD [\"python3\"]\n",
            unique("slow")
        ),
    )
    .expect("Dockerfile");
    let tag = unique("docktutor-test-killed");
    let _guard = ImageGuard::new(tag.clone());
    let lessons = build_lesson(dir.path(), &tag);
    let mut proxy = Proxy::start(&dir.path().join("engine.sock"));
    let mut pty = spawn_app(dir.path(), &ws, &lessons, &proxy.address());
    pty.wait_for("connected", SHORT, connected);

    pty.send("\r");
    // BuildKit, the engine's default builder here: the RUN step started.
    pty.wait_text("[2/2] RUN echo", SHORT);
    proxy.down();
    pty.wait_text("build interrupted", SHORT);
    // …and the status bar says the engine is gone.
    pty.wait_text("no engine at", SHORT);

    // Still alive and answering keys.
    pty.send("?");
    pty.wait_text("Keys", SHORT);
    pty.send("\x1b");

    // Once the engine is back, the same key builds.
    proxy.up();
    pty.wait_for("reconnected", SHORT, connected);
    pty.send("\r");
    pty.wait_text("✓ built", Duration::from_secs(120));
    pty.send("q");
    assert_eq!(pty.wait_exit(SHORT), Some(0));
}

/// The same real engine behind TLS on TCP, with client certificates:
/// stunnel terminates TLS (verifying the client) and forwards to the
/// engine's socket. (A second dockerd would do too, but starting one with
/// its own network settings removes the first one's docker0 bridge; socat's
/// TLS server refuses the session resumption rustls attempts.)
struct TlsEngine {
    dir: tempfile::TempDir,
    child: Child,
    port: u16,
}

impl TlsEngine {
    fn start() -> TlsEngine {
        Self::start_for("IP:127.0.0.1,DNS:localhost")
    }

    /// With a server certificate for `names` (a subjectAltName value).
    fn start_for(names: &str) -> TlsEngine {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = dir.path();
        let run = |args: &[&str]| {
            let ok = Command::new("openssl")
                .args(args)
                .current_dir(d)
                .output()
                .expect("openssl")
                .status
                .success();
            assert!(ok, "openssl {args:?}");
        };
        run(&[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "ca-key.pem",
            "-out",
            "ca.pem",
            "-days",
            "2",
            "-subj",
            "/CN=docktutor-test-ca",
        ]);
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "server-key.pem",
            "-out",
            "server.csr",
            "-subj",
            "/CN=localhost",
        ]);
        std::fs::write(
            d.join("server.ext"),
            format!("subjectAltName={names}\nextendedKeyUsage=serverAuth\n"),
        )
        .expect("ext");
        run(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-CAcreateserial",
            "-out",
            "server-cert.pem",
            "-days",
            "2",
            "-extfile",
            "server.ext",
        ]);
        run(&[
            "req",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-keyout",
            "key.pem",
            "-out",
            "client.csr",
            "-subj",
            "/CN=learner",
        ]);
        std::fs::write(d.join("client.ext"), "extendedKeyUsage=clientAuth\n").expect("ext");
        run(&[
            "x509",
            "-req",
            "-in",
            "client.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca-key.pem",
            "-CAcreateserial",
            "-out",
            "cert.pem",
            "-days",
            "2",
            "-extfile",
            "client.ext",
        ]);

        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("port")
            .local_addr()
            .expect("addr")
            .port();
        let conf = d.join("stunnel.conf");
        std::fs::write(
            &conf,
            format!(
                "foreground = yes\npid =\n[docker]\naccept = 127.0.0.1:{port}\nconnect = /var/run/docker.sock\ncert = {0}/server-cert.pem\nkey = {0}/server-key.pem\nCAfile = {0}/ca.pem\nverifyChain = yes\n",
                d.display()
            ),
        )
        .expect("stunnel.conf");
        let child = Command::new("stunnel4")
            .arg(&conf)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .process_group(0)
            .spawn()
            .expect("stunnel4 (apt-get install stunnel4)");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < SHORT, "socat did not listen on {port}");
            std::thread::sleep(Duration::from_millis(20));
        }
        TlsEngine { dir, child, port }
    }

    fn env(&self) -> Vec<(String, String)> {
        vec![
            (
                "DOCKER_HOST".into(),
                format!("tcp://127.0.0.1:{}", self.port),
            ),
            ("DOCKER_TLS_VERIFY".into(), "1".into()),
            (
                "DOCKER_CERT_PATH".into(),
                self.dir.path().display().to_string(),
            ),
        ]
    }
}

impl Drop for TlsEngine {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-s", "KILL", "--", &format!("-{}", self.child.id())])
            .status();
        let _ = self.child.wait();
    }
}

fn run_bin(args: &[&str], env: &[(String, String)]) -> std::process::Output {
    let mut cmd = Command::new(bin());
    cmd.args(args)
        .env_remove("DOCKER_HOST")
        .env_remove("DOCKER_CONTEXT")
        .env_remove("DOCKER_TLS_VERIFY")
        .env_remove("DOCKER_CERT_PATH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("docktutor")
}

#[test]
fn a_tls_engine_is_reached_with_the_learners_certificates() {
    if !engine_or_skip() {
        return;
    }
    let tls = TlsEngine::start();
    let env = tls.env();
    let out = run_bin(&["doctor", "--json"], &env);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(out.status.code(), Some(0), "{j}");
    assert_eq!(
        j["engine"]["address"],
        format!("tcp://127.0.0.1:{}", tls.port).as_str()
    );
    assert_eq!(j["engine"]["found"], "from DOCKER_HOST");

    // Without the certificates the engine is out of reach.
    let plain: Vec<(String, String)> = env
        .iter()
        .filter(|(k, _)| k == "DOCKER_HOST")
        .cloned()
        .collect();
    let out = run_bin(&["doctor", "--json"], &plain);
    assert_eq!(out.status.code(), Some(1));
    // With TLS asked for but a certificate missing, say which file.
    std::fs::remove_file(tls.dir.path().join("key.pem")).expect("rm");
    let out = run_bin(&["doctor", "--json"], &env);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        j["tried"][0]["error"]
            .as_str()
            .unwrap_or("")
            .contains("key.pem is missing"),
        "{j}"
    );
}

/// The first error `docktutor doctor --json` tried, and its exit code.
fn doctor_error(env: &[(String, String)]) -> (Option<i32>, String) {
    let out = run_bin(&["doctor", "--json"], env);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    (
        out.status.code(),
        j["tried"][0]["error"].as_str().unwrap_or("").to_string(),
    )
}

/// TLS is refused, with a message that says why, when the engine's
/// certificate is signed by another CA than the learner's ca.pem, or is
/// for another name than the one in DOCKER_HOST.
#[test]
fn a_tls_engine_with_a_wrong_ca_or_a_wrong_name_is_refused_clearly() {
    if !engine_or_skip() {
        return;
    }
    // The learner's folder holds another CA's ca.pem.
    let tls = TlsEngine::start();
    let other = TlsEngine::start_for("IP:127.0.0.1");
    let mixed = tempfile::tempdir().expect("tempdir");
    for (file, from) in [("ca.pem", &other), ("cert.pem", &tls), ("key.pem", &tls)] {
        std::fs::copy(from.dir.path().join(file), mixed.path().join(file)).expect("copy");
    }
    let mut env = tls.env();
    env[2].1 = mixed.path().display().to_string();
    let (code, error) = doctor_error(&env);
    assert_eq!(code, Some(1), "{error}");
    assert!(
        error.contains("not signed by the CA in") && error.contains("ca.pem"),
        "{error}"
    );

    // A certificate for another name than the address's host.
    let named = TlsEngine::start_for("DNS:docktutor-test.example");
    let (code, error) = doctor_error(&named.env());
    assert_eq!(code, Some(1), "{error}");
    assert!(error.contains("is not for 127.0.0.1"), "{error}");
}

#[test]
fn a_missing_base_image_is_reported_then_loaded_from_a_saved_file() {
    if !engine_or_skip() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // A base image this engine does not have: a saved copy of the stand-in
    // under a name of its own, removed after saving.
    let base = format!("{}:1.0", unique("docktutor-test-base"));
    let _guard = ImageGuard::new(base.clone());
    let ok = |args: &[&str]| {
        assert!(
            Command::new("docker")
                .args(args)
                .status()
                .expect("docker")
                .success(),
            "docker {args:?}"
        )
    };
    ok(&["tag", "python:3.9-slim", &base]);
    let saved = dir.path().join("base.tar");
    ok(&["save", &base, "-o", saved.to_str().expect("utf8")]);
    ok(&["rmi", &base]);

    // A course whose solution starts FROM that image.
    let lessons = dir.path().join("lessons");
    std::fs::create_dir_all(lessons.join("assets/x")).expect("mkdir");
    std::fs::write(
        lessons.join("assets/x/Dockerfile"),
        format!("FROM {base}\nCMD [\"python3\"]\n"),
    )
    .expect("Dockerfile");
    std::fs::write(
        lessons.join("01-x.md"),
        "+++\nid = \"x\"\ntitle = \"X\"\nsolution = [\"x/Dockerfile\"]\n[[checks]]\nkind = \"file_exists\"\npath = \"Dockerfile\"\n+++\n# X\n",
    )
    .expect("lesson");
    let lessons_arg = lessons.to_str().expect("utf8");

    let out = run_bin(&["doctor", "--json", "--lessons", lessons_arg], &[]);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(out.status.code(), Some(1), "{j}");
    assert_eq!(j["base_images"][0]["name"], base.as_str());
    assert_eq!(j["base_images"][0]["present"], false);
    assert_eq!(
        j["base_images"][0]["pullable"], false,
        "no registry is reachable here: {j}"
    );
    assert!(
        j["problems"][0]["fix"]
            .as_str()
            .unwrap_or("")
            .contains("docktutor load"),
        "{j}"
    );

    let out = run_bin(&["load", saved.to_str().expect("utf8")], &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("loaded {base}")), "{stderr}");
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("100%"),
        "progress is shown"
    );

    let out = run_bin(&["doctor", "--lessons", lessons_arg], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Ready for the lessons"));

    // A file that is not an image is refused with a clear message.
    std::fs::write(dir.path().join("junk.tar"), b"not a tar").expect("junk");
    let out = run_bin(
        &["load", dir.path().join("junk.tar").to_str().expect("utf8")],
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
}

/// ssh processes whose command line holds `marker` (the test's own ssh
/// config path, so only this test's ssh count).
fn ssh_processes(marker: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmdline = String::from_utf8_lossy(&cmdline).replace('\0', " ");
        if cmdline.contains(marker) && cmdline.contains("dial-stdio") {
            found.push(pid);
        }
    }
    found
}

/// Waits until no ssh of this test runs; false if some still do after 5 s.
fn ssh_all_gone(marker: &str) -> bool {
    let start = Instant::now();
    while !ssh_processes(marker).is_empty() {
        if start.elapsed() > Duration::from_secs(5) {
            return false;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    true
}

/// ssh://, as the docker CLI does it: ssh runs `docker system dial-stdio`
/// on the remote machine, and the learner's ssh configuration decides.
/// Here the "remote" is an sshd on this machine's port 22 with a
/// throwaway host key and an agent holding a throwaway client key; it needs
/// root and a free port 22 (CI has both). The learner's ssh configuration
/// is the test's own: an `ssh` first on PATH that runs the real one with
/// `-F` (a config whose known_hosts file is in the test's folder), so the
/// real `~/.ssh` is never read or written.
///
/// An unknown host key is refused with the command that fixes it (never
/// trusted on first use); once known, the engine answers; and no ssh
/// process outlives docktutor, whether it exits or is killed.
#[test]
fn an_engine_over_ssh_is_reached_like_the_docker_cli_does() {
    if !engine_or_skip() {
        return;
    }
    let port_free = std::net::TcpListener::bind("127.0.0.1:22").is_ok();
    let sshd = Path::new("/usr/sbin/sshd");
    if !port_free
        || !sshd.exists()
        || Command::new("docker")
            .args(["system", "dial-stdio", "--help"])
            .output()
            .is_err()
    {
        let why = "needs root, a free port 22, /usr/sbin/sshd (openssh-server) and the docker CLI";
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but the ssh test cannot run: {why}");
        }
        eprintln!("\n!!!!!!!! SKIPPED the ssh engine test: {why} !!!!!!!!\n");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    for key in ["host_key", "client_key"] {
        let ok = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", ""])
            .arg("-f")
            .arg(d.join(key))
            .status()
            .expect("ssh-keygen")
            .success();
        assert!(ok, "ssh-keygen");
    }
    std::fs::copy(d.join("client_key.pub"), d.join("authorized_keys")).expect("authorized_keys");
    std::fs::write(
        d.join("sshd_config"),
        format!(
            "Port 22\nListenAddress 127.0.0.1\nHostKey {0}/host_key\nAuthorizedKeysFile {0}/authorized_keys\nPermitRootLogin prohibit-password\nPasswordAuthentication no\nStrictModes no\nPidFile {0}/sshd.pid\n",
            d.display()
        ),
    )
    .expect("sshd_config");
    // The learner's ssh configuration: known hosts in the test's folder.
    let known_hosts = d.join("known_hosts");
    std::fs::write(&known_hosts, "").expect("known_hosts");
    let ssh_config = d.join("ssh_config");
    std::fs::write(
        &ssh_config,
        format!(
            "Host *\n  UserKnownHostsFile {}\n  GlobalKnownHostsFile /dev/null\n",
            known_hosts.display()
        ),
    )
    .expect("ssh_config");
    let bin_dir = d.join("bin");
    std::fs::create_dir_all(&bin_dir).expect("bin");
    std::fs::write(
        bin_dir.join("ssh"),
        format!(
            "#!/bin/sh\nexec /usr/bin/ssh -F {} \"$@\"\n",
            ssh_config.display()
        ),
    )
    .expect("ssh wrapper");
    std::fs::set_permissions(
        bin_dir.join("ssh"),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let marker = ssh_config.display().to_string();

    std::fs::create_dir_all("/run/sshd").expect("/run/sshd");
    let mut sshd = Command::new(sshd)
        .arg("-D")
        .arg("-f")
        .arg(d.join("sshd_config"))
        .process_group(0)
        .spawn()
        .expect("sshd");
    let agent_sock = d.join("agent.sock");
    let mut agent = Command::new("ssh-agent")
        .arg("-D")
        .arg("-a")
        .arg(&agent_sock)
        .process_group(0)
        .spawn()
        .expect("ssh-agent");
    let start = Instant::now();
    while !(agent_sock.exists() && std::net::TcpStream::connect("127.0.0.1:22").is_ok()) {
        assert!(start.elapsed() < SHORT, "sshd or ssh-agent did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    let added = Command::new("ssh-add")
        .arg("-q")
        .arg(d.join("client_key"))
        .env("SSH_AUTH_SOCK", &agent_sock)
        .status()
        .expect("ssh-add")
        .success();
    assert!(added, "ssh-add");

    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let env = vec![
        (
            "DOCKER_HOST".to_string(),
            "ssh://root@127.0.0.1".to_string(),
        ),
        (
            "SSH_AUTH_SOCK".to_string(),
            agent_sock.display().to_string(),
        ),
        ("PATH".to_string(), path.clone()),
    ];
    // The host key is not known yet: refused, with the command to fix it.
    let unknown = run_bin(&["doctor", "--json"], &env);
    let ju: serde_json::Value = serde_json::from_slice(&unknown.stdout).expect("json");
    let trusted_on_first_use = std::fs::read_to_string(&known_hosts).expect("known_hosts");
    // Once the learner adds the key, as the message says, it answers.
    let scan = Command::new("ssh-keyscan")
        .args(["-t", "ed25519", "127.0.0.1"])
        .output()
        .expect("ssh-keyscan");
    std::fs::write(&known_hosts, &scan.stdout).expect("known_hosts");
    let out = run_bin(&["doctor", "--json"], &env);
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let gone_after_exit = ssh_all_gone(&marker);
    // Killed while connected (the TUI keeps connections open): its ssh
    // processes end with it.
    let ws = d.join("ws");
    std::fs::create_dir_all(&ws).expect("ws");
    let data = d.join("data");
    let mut app = Pty::spawn(
        bin().to_str().expect("utf8"),
        &["--workdir", ws.to_str().expect("utf8")],
        &[
            ("DOCKER_HOST", "ssh://root@127.0.0.1"),
            ("SSH_AUTH_SOCK", agent_sock.to_str().expect("utf8")),
            ("PATH", &path),
            ("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8")),
        ],
        d,
        100,
        30,
    );
    let start = Instant::now();
    while ssh_processes(&marker).is_empty() && start.elapsed() < SHORT {
        std::thread::sleep(Duration::from_millis(50));
    }
    let connected = !ssh_processes(&marker).is_empty();
    app.kill();
    let _ = app.wait_exit(SHORT);
    let gone_after_kill = ssh_all_gone(&marker);
    // A port in the address is explained, not misread.
    let with_port = vec![(
        "DOCKER_HOST".to_string(),
        "ssh://root@127.0.0.1:2222".to_string(),
    )];
    let out_port = run_bin(&["doctor", "--json"], &with_port);
    let jp: serde_json::Value = serde_json::from_slice(&out_port.stdout).expect("json");

    for child in [&mut sshd, &mut agent] {
        let _ = Command::new("kill")
            .args(["-s", "TERM", "--", &format!("-{}", child.id())])
            .status();
        let _ = child.wait();
    }
    for pid in ssh_processes(&marker) {
        let _ = Command::new("kill").arg(pid.to_string()).status();
    }
    assert_eq!(unknown.status.code(), Some(1), "{ju}");
    let refusal = ju["tried"][0]["error"].as_str().unwrap_or("");
    assert!(
        refusal.contains("host key of 127.0.0.1 is not known")
            && refusal.contains("ssh-keyscan 127.0.0.1 >> ~/.ssh/known_hosts")
            && refusal.contains("`ssh root@127.0.0.1`"),
        "{ju}"
    );
    assert!(
        trusted_on_first_use.is_empty(),
        "an unknown host was added to known_hosts:\n{trusted_on_first_use}"
    );
    assert!(
        scan.status.success() && !scan.stdout.is_empty(),
        "ssh-keyscan"
    );
    assert_eq!(out.status.code(), Some(0), "{j}");
    assert_eq!(j["engine"]["address"], "ssh://root@127.0.0.1");
    assert_eq!(j["engine"]["found"], "from DOCKER_HOST");
    assert!(gone_after_exit, "ssh processes outlived docktutor doctor");
    assert!(connected, "the TUI never reached the engine over ssh");
    assert!(gone_after_kill, "ssh processes outlived a killed docktutor");
    assert!(
        jp["tried"][0]["error"]
            .as_str()
            .unwrap_or("")
            .contains("~/.ssh/config"),
        "{jp}"
    );
}

/// One engine per session: the learner's Docker (a proxy at the default
/// socket) goes away while Podman's service answers at its own socket.
/// The engine task says another engine answers, never connects to it by
/// itself, and reconnects to the same engine when it is back.
#[test]
fn a_lost_engine_is_waited_for_never_silently_swapped_for_another() {
    use docktutor::engine::{EngineMsg, EngineStatus, Watch};
    if !engine_or_skip() {
        return;
    }
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        if support::engines().await.len() < 2 {
            return; // loud skip already printed (a failure under CI)
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let mut proxy = Proxy::start(&dir.path().join("docker.sock"));
        let env = Env {
            default_socket: Some(proxy.path.clone()),
            ..Env::default()
        };
        let (tx, mut rx) = tokio::sync::mpsc::channel(64);
        let mut handle = docker::spawn(env, Watch::default(), tx);
        let next_status = async |rx: &mut tokio::sync::mpsc::Receiver<EngineMsg>| loop {
            match tokio::time::timeout(Duration::from_secs(20), rx.recv()).await {
                Ok(Some(EngineMsg::Status(s @ EngineStatus::Connected(_)))) => return Ok(s),
                Ok(Some(EngineMsg::OtherEngine(info))) => return Err(info),
                Ok(Some(_)) => {}
                other => panic!("no status: {other:?}"),
            }
        };
        let Ok(EngineStatus::Connected(first)) = next_status(&mut rx).await else {
            panic!("the proxy engine answers first")
        };
        assert_eq!(first.address, proxy.address());

        proxy.down();
        let other = next_status(&mut rx)
            .await
            .expect_err("the other engine is reported, not connected to");
        assert!(other.name.starts_with("Podman"), "{other:?}");

        proxy.up();
        let Ok(EngineStatus::Connected(again)) = next_status(&mut rx).await else {
            panic!("back to the same engine")
        };
        assert_eq!(again.address, first.address);
        assert_eq!(again.source, "the default socket");

        // When the learner asks (the E key), the session moves to the
        // engine that answers.
        proxy.down();
        let other = next_status(&mut rx)
            .await
            .expect_err("the other engine is reported again after a reconnect");
        handle.send(docktutor::engine::EngineCmd::SwitchEngine);
        let Ok(EngineStatus::Connected(switched)) = next_status(&mut rx).await else {
            panic!("connected to the other engine")
        };
        assert_eq!(switched.address, other.address);
        assert_ne!(switched.address, first.address);
        handle.shutdown(Duration::from_secs(5)).await;
    });
}
