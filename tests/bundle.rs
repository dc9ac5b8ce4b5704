//! The metadata every installer is built from (tauri.conf.json): one identifier wherever the app
//! and the CLI name their folders and keys, the version from Cargo.toml alone, the fields app
//! stores and package managers show, and an icon in each platform's format.

use push3_inventory::{SystemKeychain, APP_IDENTIFIER};
use serde_json::Value;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn config() -> Value {
    let text = std::fs::read_to_string(root().join("tauri.conf.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn field<'a>(value: &'a Value, path: &str) -> &'a str {
    path.split('.')
        .fold(value, |v, key| &v[key])
        .as_str()
        .unwrap_or_else(|| panic!("tauri.conf.json has no {path}"))
}

#[test]
fn one_reverse_dns_identifier_names_the_app_the_cli_data_folder_and_the_release_keychain() {
    let config = config();
    let identifier = field(&config, "identifier");
    assert_eq!(
        identifier, APP_IDENTIFIER,
        "the CLI would look in another folder"
    );
    assert_eq!(identifier, SystemKeychain::RELEASE_SERVICE);
    assert_eq!(
        SystemKeychain::DEVELOPMENT_SERVICE,
        format!("{identifier}.dev")
    );
    let parts: Vec<&str> = identifier.split('.').collect();
    assert!(parts.len() >= 3, "reverse DNS: {identifier}");
    assert!(
        parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')),
        "{identifier}"
    );
    // macOS shows a folder named *.app (Application Support/<identifier>) as an app bundle.
    assert!(!identifier.ends_with(".app"), "{identifier}");
}

#[test]
fn the_version_comes_from_cargo_toml_alone() {
    let config = config();
    assert!(
        config.get("version").is_none(),
        "tauri.conf.json must not carry a second version; Tauri takes Cargo.toml's {}",
        env!("CARGO_PKG_VERSION")
    );
}

#[test]
fn installers_describe_the_app_with_its_licence_category_publisher_and_copyright() {
    let config = config();
    assert_eq!(field(&config, "productName"), "Push3 Desk");
    assert_eq!(field(&config, "mainBinaryName"), "push3-desk");
    assert_eq!(field(&config, "bundle.license"), env!("CARGO_PKG_LICENSE"));
    assert_eq!(
        field(&config, "bundle.shortDescription"),
        env!("CARGO_PKG_DESCRIPTION")
    );
    assert!(!field(&config, "bundle.longDescription").is_empty());
    assert!(!field(&config, "bundle.publisher").is_empty());
    assert!(field(&config, "bundle.copyright").starts_with("Copyright © "));
    assert_eq!(field(&config, "bundle.category"), "Utility");
    // The licence Cargo.toml declares, as a file the installers carry.
    assert_eq!(field(&config, "bundle.licenseFile"), "LICENSE");
    let licence = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/LICENSE")).unwrap();
    assert!(
        licence.starts_with(&format!(
            "{} License\n\nCopyright (c) ",
            env!("CARGO_PKG_LICENSE")
        )),
        "{licence}"
    );
    assert!(licence.contains(field(&config, "bundle.publisher")));
}

/// The width and height a PNG's header gives.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn every_platform_gets_an_icon_in_its_own_format() {
    let config = config();
    let icons: Vec<&str> = config["bundle"]["icon"]
        .as_array()
        .expect("bundle.icon")
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let read =
        |name: &str| std::fs::read(root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    for icon in &icons {
        let bytes = read(icon);
        if icon.ends_with(".ico") {
            assert_eq!(&bytes[..4], b"\0\0\x01\0", "{icon} is not an ICO");
        } else if icon.ends_with(".icns") {
            assert_eq!(&bytes[..4], b"icns", "{icon} is not an ICNS");
        } else {
            let (w, h) = png_size(&bytes);
            assert_eq!(w, h, "{icon} is square");
            // Tauri reads the size from the name: 32x32.png, 128x128@2x.png (256 px).
            let stem = icon.rsplit('/').next().unwrap().trim_end_matches(".png");
            if let Some((size, scale)) = stem.split_once('x').map(|(a, rest)| {
                let scale = if rest.ends_with("@2x") { 2 } else { 1 };
                (a.parse::<u32>().unwrap(), scale)
            }) {
                assert_eq!(w, size * scale, "{icon}");
            }
        }
    }
    for (platform, ending) in [("Windows", ".ico"), ("macOS", ".icns"), ("Linux", ".png")] {
        assert!(
            icons.iter().any(|i| i.ends_with(ending)),
            "no {ending} icon for {platform}"
        );
    }
}
