use super::*;

fn env_in(dir: &Path) -> Env {
    Env {
        home: Some(dir.join("home")),
        ..Env::default()
    }
}

fn write_context(config: &Path, name: &str, host: &str) {
    let hash = hex(&Sha256::digest(name.as_bytes()));
    let meta = config.join("contexts/meta").join(hash);
    std::fs::create_dir_all(&meta).unwrap();
    std::fs::write(
        meta.join("meta.json"),
        format!(r#"{{"Name":"{name}","Metadata":{{}},"Endpoints":{{"docker":{{"Host":"{host}","SkipTLSVerify":false}}}}}}"#),
    )
    .unwrap();
}

#[test]
fn flag_beats_everything() {
    let env = Env {
        host_flag: Some("tcp://1.2.3.4:2375".into()),
        docker_host: Some("unix:///x.sock".into()),
        docker_context: Some("colima".into()),
        ..Env::default()
    };
    let c = candidates(&env).unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].address, "tcp://1.2.3.4:2375");
    assert_eq!(c[0].source, "from --host");
    assert!(c[0].explicit);
}

#[test]
fn docker_host_beats_context() {
    let env = Env {
        docker_host: Some("/run/other.sock".into()),
        docker_context: Some("colima".into()),
        ..Env::default()
    };
    let c = candidates(&env).unwrap();
    assert_eq!(c[0].address, "unix:///run/other.sock");
    assert_eq!(c[0].source, "from DOCKER_HOST");
}

#[test]
fn docker_context_env_resolves_through_meta() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("cfg");
    write_context(
        &config,
        "colima",
        "unix:///home/me/.colima/default/docker.sock",
    );
    let env = Env {
        docker_context: Some("colima".into()),
        docker_config: Some(config),
        ..env_in(dir.path())
    };
    let c = candidates(&env).unwrap();
    assert_eq!(c[0].address, "unix:///home/me/.colima/default/docker.sock");
    assert_eq!(c[0].source, "from DOCKER_CONTEXT=colima");
}

#[test]
fn current_context_from_config_json() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("home/.docker");
    write_context(&config, "remote", "tcp://10.0.0.5:2375");
    std::fs::write(config.join("config.json"), r#"{"currentContext":"remote"}"#).unwrap();
    let c = candidates(&env_in(dir.path())).unwrap();
    assert_eq!(c[0].address, "tcp://10.0.0.5:2375");
    assert!(c[0].source.contains("remote"), "{}", c[0].source);
}

#[test]
fn missing_context_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let env = Env {
        docker_context: Some("nope".into()),
        ..env_in(dir.path())
    };
    let err = candidates(&env).unwrap_err();
    assert!(err.contains("\"nope\" not found"), "{err}");
    assert!(err.contains("docker context ls"), "{err}");
}

#[test]
fn default_context_means_default_socket_then_existing_well_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".colima/default")).unwrap();
    std::fs::write(home.join(".colima/default/docker.sock"), b"").unwrap();
    let env = Env {
        docker_context: Some("default".into()),
        ..env_in(dir.path())
    };
    let c = candidates(&env).unwrap();
    assert_eq!(c[0].address, "unix:///var/run/docker.sock");
    assert!(!c[0].explicit);
    let colima = c.iter().find(|c| c.source == "the colima socket").unwrap();
    assert!(colima.address.ends_with(".colima/default/docker.sock"));
    // Sockets that do not exist are not offered.
    assert!(!c.iter().any(|c| c.source == "the OrbStack socket"));
}

#[test]
fn tls_material_follows_cert_path() {
    let env = Env {
        docker_host: Some("tcp://h:2376".into()),
        tls_verify: true,
        cert_path: Some("/certs".into()),
        ..Env::default()
    };
    assert_eq!(
        candidates(&env).unwrap()[0].tls,
        Some(PathBuf::from("/certs"))
    );
}
