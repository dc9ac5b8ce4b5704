//! The installers carry the licences of what they contain: THIRD-PARTY-NOTICES.md names every
//! crate the Linux build links and every npm package whose code is in the window's bundle, at the
//! version shipped. A dependency added or updated without `./x notices` fails here.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

const NOTICES: &str = "src-tauri/notices/THIRD-PARTY-NOTICES.md";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn notices() -> String {
    std::fs::read_to_string(root().join(NOTICES)).unwrap()
}

/// "name version" of every crate linked into the app on Linux: its normal dependencies,
/// transitively, for that target, as `cargo tree` resolves features for the build. Proc-macros
/// and what they use run at compile time and ship nothing; build scripts' and tests'
/// dependencies neither; the workspace's own crates are Push3 Desk, under its LICENSE.
fn linux_crates() -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root())
        .args(["tree", "-p", "push3-desk", "-e", "normal"])
        .args([
            "--target",
            "x86_64-unknown-linux-gnu",
            "--locked",
            "--offline",
        ])
        // Every path written out, each line "<depth><name> v<version>[ (proc-macro)| (<path>)]",
        // so a crate reached both through a proc-macro and directly is seen on the direct path.
        .args(["--prefix", "depth", "--format", "{p}", "--no-dedupe"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut linked = BTreeSet::new();
    let mut under_proc_macro: Option<usize> = None;
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let depth: usize = line[..digits].parse().unwrap();
        let mut words = line[digits..].split(' ');
        let (name, version) = (words.next().unwrap(), words.next().unwrap());
        let rest = words.collect::<Vec<_>>().join(" ");
        if under_proc_macro.is_some_and(|d| depth > d) {
            continue;
        }
        under_proc_macro = None;
        if rest.starts_with("(proc-macro)") {
            under_proc_macro = Some(depth);
        } else if !rest.starts_with("(/") {
            linked.insert(format!("{name} {}", version.trim_start_matches('v')));
        }
    }
    linked
}

#[test]
fn the_notices_name_every_crate_of_the_linux_build_at_its_version() {
    let text = notices();
    let listed: BTreeSet<&str> = text.lines().filter_map(|l| l.strip_prefix("- ")).collect();
    let crates = linux_crates();
    assert!(
        crates.len() > 300,
        "{} crates: the walk went wrong",
        crates.len()
    );
    for must in ["tauri 2", "rusqlite 0", "reqwest 0", "keyring 3"] {
        assert!(crates.iter().any(|c| c.starts_with(must)), "{must}");
    }
    let missing: Vec<&String> = crates
        .iter()
        .filter(|c| !listed.contains(c.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "{NOTICES} lacks {} crates (run ./x notices): {missing:?}",
        missing.len()
    );
}

#[test]
fn the_notices_name_every_npm_package_in_the_bundle_with_its_licence_text() {
    // Written by every `vite build` (the bundledPackages plugin in ui/vite.config.ts); ./x test builds the UI
    // before any cargo command.
    let bundled: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("ui/bundled-packages.json")).unwrap(),
    )
    .unwrap();
    let bundled = bundled.as_array().unwrap();
    let names: Vec<&str> = bundled
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"svelte"), "{names:?}");
    assert!(names.contains(&"@tauri-apps/api"), "{names:?}");
    let text = notices();
    for p in bundled {
        let (name, version) = (p["name"].as_str().unwrap(), p["version"].as_str().unwrap());
        assert!(
            text.contains(&format!("\n- {name} {version} (")),
            "{NOTICES} does not list {name} {version} (run ./x notices)"
        );
        assert!(
            text.contains(&format!("\n### {name} {version}\n\n```text\n")),
            "{NOTICES} has no licence text for {name} {version}"
        );
    }
}

#[test]
fn every_installer_carries_the_notices_and_the_licence() {
    let conf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root().join("tauri.conf.json")).unwrap())
            .unwrap();
    assert_eq!(conf["bundle"]["licenseFile"], "LICENSE");
    assert_eq!(
        conf["bundle"]["resources"][NOTICES],
        "THIRD-PARTY-NOTICES.md"
    );
    assert!(root().join("LICENSE").is_file());
    // Where Debian keeps a package's licence.
    assert_eq!(
        conf["bundle"]["linux"]["deb"]["files"]["/usr/share/doc/push3-desk/copyright"],
        "LICENSE"
    );
}
