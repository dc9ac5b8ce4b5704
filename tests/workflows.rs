//! The GitHub workflows cannot run on this machine, so these tests hold them to the local scripts
//! they mirror: the installers the release promises, the Tauri CLI pinned in `ui/`, `./x`'s build
//! packages, the README's test command, and the tag check, which is run here for real.

use std::path::PathBuf;
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn workflow(name: &str) -> Yaml {
    let path = format!(".github/workflows/{name}");
    let mut docs =
        YamlLoader::load_from_str(&read(&path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(docs.len(), 1, "{path} holds one document");
    docs.remove(0)
}

fn text(yaml: &Yaml) -> &str {
    yaml.as_str()
        .unwrap_or_else(|| panic!("not a string: {yaml:?}"))
}

fn steps<'a>(workflow: &'a Yaml, job: &str) -> &'a [Yaml] {
    workflow["jobs"][job]["steps"]
        .as_vec()
        .unwrap_or_else(|| panic!("job {job} has no steps"))
}

/// The step that uses the action `name` (any version).
fn step_using<'a>(steps: &'a [Yaml], name: &str) -> &'a Yaml {
    steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.split('@').next() == Some(name))
        })
        .unwrap_or_else(|| panic!("no step uses {name}"))
}

/// The step whose `name` contains `part`.
fn step_named<'a>(steps: &'a [Yaml], part: &str) -> &'a Yaml {
    steps
        .iter()
        .find(|s| s["name"].as_str().is_some_and(|n| n.contains(part)))
        .unwrap_or_else(|| panic!("no step named like {part:?}"))
}

/// The words of the bash array `NAME=( … )` in a script, comments dropped.
fn bash_array(script: &str, name: &str) -> Vec<String> {
    let start = script
        .find(&format!("\n{name}=("))
        .unwrap_or_else(|| panic!("no array {name}"));
    let body = &script[start + name.len() + 3..];
    let body = &body[..body.find("\n)").expect("the array ends")];
    body.lines()
        .map(|line| line.split('#').next().unwrap())
        .flat_map(str::split_whitespace)
        .map(String::from)
        .collect()
}

/// The release matrix entry for the runner whose name starts with `platform`.
fn matrix_entry<'a>(release: &'a Yaml, platform: &str) -> &'a Yaml {
    release["jobs"]["installers"]["strategy"]["matrix"]["include"]
        .as_vec()
        .expect("a matrix of platforms")
        .iter()
        .find(|e| text(&e["platform"]).starts_with(platform))
        .unwrap_or_else(|| panic!("no {platform} runner in the release matrix"))
}

#[test]
fn a_version_tag_builds_every_promised_installer_into_a_draft_release_with_tauri_action() {
    let release = workflow("release.yml");
    let tags: Vec<&str> = release["on"]["push"]["tags"]
        .as_vec()
        .expect("a tag trigger")
        .iter()
        .map(text)
        .collect();
    assert_eq!(tags, ["v*"]);

    let windows = text(&matrix_entry(&release, "windows")["bundles"]);
    assert!(
        windows.contains("msi") && windows.contains("nsis"),
        "{windows}"
    );
    let macos = matrix_entry(&release, "macos");
    let mac_bundles = text(&macos["bundles"]);
    assert!(
        mac_bundles.contains("--target universal-apple-darwin") && mac_bundles.contains("dmg"),
        "{mac_bundles}"
    );
    // A universal build needs both architectures' standard libraries.
    let mut rust_targets: Vec<&str> = text(&macos["rust-targets"]).split(',').collect();
    rust_targets.sort_unstable();
    assert_eq!(
        rust_targets,
        ["aarch64-apple-darwin", "x86_64-apple-darwin"]
    );
    let ubuntu = text(&matrix_entry(&release, "ubuntu")["bundles"]);
    assert!(
        ubuntu.contains("deb") && ubuntu.contains("appimage"),
        "{ubuntu}"
    );

    let steps = steps(&release, "installers");
    let tauri = step_using(steps, "tauri-apps/tauri-action");
    assert_eq!(text(&tauri["with"]["args"]), "${{ matrix.bundles }}");
    assert_eq!(tauri["with"]["releaseDraft"].as_bool(), Some(true));
    assert_eq!(text(&tauri["with"]["tagName"]), "${{ github.ref_name }}");
}

#[test]
fn the_release_runs_the_tauri_cli_pinned_in_ui_from_the_repository_root_as_x_does() {
    let package: serde_json::Value = serde_json::from_str(&read("ui/package.json")).unwrap();
    let pinned = package["devDependencies"]["@tauri-apps/cli"]
        .as_str()
        .or_else(|| package["dependencies"]["@tauri-apps/cli"].as_str())
        .expect("ui/package.json lists @tauri-apps/cli");
    assert!(
        pinned.chars().all(|c| c.is_ascii_digit() || c == '.'),
        "the CLI is pinned to one version, not a range: {pinned}"
    );
    let lock: serde_json::Value = serde_json::from_str(&read("ui/package-lock.json")).unwrap();
    assert_eq!(
        lock["packages"]["node_modules/@tauri-apps/cli"]["version"].as_str(),
        Some(pinned),
        "the lockfile installs the pinned CLI"
    );

    let release = workflow("release.yml");
    let steps = steps(&release, "installers");
    let npm = step_named(steps, "UI packages");
    assert_eq!(text(&npm["run"]).trim(), "npm ci --no-audit --no-fund");
    assert_eq!(text(&npm["working-directory"]), "ui");
    let tauri = step_using(steps, "tauri-apps/tauri-action");
    // No projectPath: tauri-action runs the script from the repository root, as ./x does.
    assert!(tauri["with"]["projectPath"].is_badvalue());
    assert_eq!(
        text(&tauri["with"]["tauriScript"]),
        "node ui/node_modules/@tauri-apps/cli/tauri.js"
    );
    assert!(root()
        .join("ui/node_modules/@tauri-apps/cli/tauri.js")
        .is_file());
    assert!(
        read("x").contains("ui/node_modules/.bin/tauri build"),
        "./x deb runs the same installed CLI"
    );
}

#[test]
fn the_release_installs_on_ubuntu_every_package_x_builds_with() {
    let release = workflow("release.yml");
    let apt = text(&step_named(steps(&release, "installers"), "Linux build packages")["run"]);
    let installed: Vec<&str> = apt.split_whitespace().collect();
    let needed = bash_array(&read("x"), "BUILD_PACKAGES");
    assert!(
        needed.contains(&"libwebkit2gtk-4.1-dev".to_string()),
        "{needed:?}"
    );
    for package in &needed {
        assert!(
            installed.contains(&package.as_str()),
            "the release does not install {package}: {apt}"
        );
    }
}

#[test]
fn ci_runs_the_readme_test_command_with_the_release_node() {
    let readme = read("README.md");
    let first_block = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("README opens with a sh block");
    let test_command = first_block
        .lines()
        .filter_map(|l| l.split('#').next())
        .map(str::trim)
        .nth(1)
        .expect("the block's second command runs the tests");
    assert_eq!(test_command, "./x test");
    assert!(
        read(".ci/run")
            .lines()
            .any(|l| l.trim() == format!("exec {test_command}")),
        ".ci/run runs exactly the README's test command"
    );

    let ci = workflow("ci.yml");
    let ci_steps = steps(&ci, "test");
    assert!(
        ci_steps
            .iter()
            .any(|s| s["run"].as_str() == Some(".ci/run")),
        "ci.yml runs .ci/run"
    );
    let release = workflow("release.yml");
    let node =
        |steps: &[Yaml]| step_using(steps, "actions/setup-node")["with"]["node-version"].clone();
    assert_eq!(node(ci_steps), node(steps(&release, "installers")));
}

/// Runs the release's tag check as GitHub would, with `GITHUB_REF_NAME` set to `tag`.
fn tag_check(tag: &str) -> std::process::Output {
    let release = workflow("release.yml");
    let step = step_named(steps(&release, "installers"), "The tag names");
    assert_eq!(text(&step["shell"]), "bash");
    Command::new("bash")
        .args(["-e", "-c", text(&step["run"])])
        .current_dir(root())
        .env("GITHUB_REF_NAME", tag)
        .output()
        .unwrap()
}

#[test]
fn the_tag_check_passes_for_cargo_tomls_version_only() {
    let version = env!("CARGO_PKG_VERSION");
    let right = tag_check(&format!("v{version}"));
    assert!(right.status.success(), "{right:?}");

    let wrong = tag_check("v99.0.0");
    assert!(!wrong.status.success());
    let said = String::from_utf8_lossy(&wrong.stdout);
    assert!(
        said.contains(&format!("Cargo.toml says version {version}")),
        "{said}"
    );
}

#[test]
fn bash_arrays_are_read_without_their_comments() {
    let script = "#!/bin/bash\nPKGS=(\n  a b   # the first two\n  c\n)\nOTHER=(x)\n";
    assert_eq!(bash_array(script, "PKGS"), ["a", "b", "c"]);
}

/// The release signs what the installed apps will accept: tauri.conf.json asks for updater
/// artifacts and names a public key and an https endpoint, and the release workflow has the
/// private half and publishes the manifest the endpoint serves.
#[test]
fn the_release_signs_the_updates_the_app_checks_for() {
    let conf: serde_json::Value = serde_json::from_str(&read("tauri.conf.json")).unwrap();
    assert_eq!(conf["bundle"]["createUpdaterArtifacts"], true);
    let updater = &conf["plugins"]["updater"];
    let pubkey = updater["pubkey"].as_str().unwrap();
    use base64::Engine;
    let key = base64::engine::general_purpose::STANDARD
        .decode(pubkey)
        .expect("the update key is base64");
    let key = String::from_utf8(key).unwrap();
    assert!(
        key.starts_with("untrusted comment: minisign public key"),
        "{key}"
    );
    assert_eq!(updater["requireSignedVersion"], true);
    let endpoints = updater["endpoints"].as_array().unwrap();
    assert!(!endpoints.is_empty());
    for endpoint in endpoints {
        let url = endpoint.as_str().unwrap();
        assert!(
            url.starts_with("https://") && url.ends_with("/latest.json"),
            "{url}"
        );
    }

    let release = workflow("release.yml");
    let tauri = step_using(steps(&release, "installers"), "tauri-apps/tauri-action");
    assert_eq!(
        text(&tauri["env"]["TAURI_SIGNING_PRIVATE_KEY"]),
        "${{ secrets.TAURI_SIGNING_PRIVATE_KEY }}"
    );
    assert_eq!(tauri["with"]["includeUpdaterJson"], Yaml::Boolean(true));
    // A local ./x deb has no key, and builds the .deb alone rather than failing.
    assert!(read("x").contains(r#"{"bundle":{"createUpdaterArtifacts":false}}"#));
}
