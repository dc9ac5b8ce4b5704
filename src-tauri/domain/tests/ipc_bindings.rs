//! The TypeScript types of everything that crosses IPC are written from the Rust types, so the
//! UI cannot drift from what Rust sends or accepts. This test exports them with ts-rs and
//! compares the result with `ui/src/lib/bindings/`, file by file: a Rust change that alters a
//! shape fails here until `UPDATE_FIXTURES=1` rewrites the folder, and svelte-check then shows
//! every UI use the change breaks. `ui/src/lib/ipc.ts` re-exports these types; it declares only
//! what Rust parses from plain JSON (the meter programs, the limits table).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::{Config, TS};

/// Every type an IPC command takes or answers, and every event a channel carries. Their
/// dependencies are written with them.
fn export_all(cfg: &Config) {
    macro_rules! export {
        ($($t:ty),* $(,)?) => { $( <$t as TS>::export_all(cfg).expect(stringify!($t)); )* };
    }
    use push3_domain::desk::{dispatch, forms, jobs, programs, templates, views};
    export!(
        push3_domain::AppInfo,
        push3_domain::StoreChange,
        push3_domain::store::Draft,
        push3_domain::ui_errors::UiErrorReport,
        push3_domain::updates::UpdateCheck,
        push3_domain::preferences::Preferences,
        push3_domain::rates::RateOptions,
        push3_rates::RateImport,
        push3_rates::estimate::MonthUse,
        push3_domain::desk::rates::CostEstimate,
        push3_domain::desk::in_flight::WorkInFlight,
        views::GatewayView,
        views::MeterView,
        views::WireProfileView,
        views::LoadedProfileView,
        forms::GatewayForm,
        forms::MeterForm,
        forms::GatewayEditForm,
        forms::GatewayTestForm,
        push3::ConnectionTest,
        forms::MeterEditForm,
        dispatch::CommandRequest,
        dispatch::CommandEvent,
        push3::Outcome,
        push3::program::Plan,
        push3::program::KnownState,
        push3::program::SchedulesReading,
        push3::program::Difference,
        programs::TouComparison,
        push3::undocumented::TariffData,
        programs::MeterRef,
        programs::MeterClock,
        templates::TemplateInfo,
        jobs::RelayGroupForm,
        jobs::BulkPreview,
        push3_fleet::JobEvent,
        push3_fleet::GatewayLoad,
        push3_fleet::Report,
        push3_fleet::DriftRow,
        push3_audit::Filter,
        push3_audit::Page,
        push3_audit::EntryPage,
    );
}

fn bindings_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings")
}

/// Every file under `dir`, by its path relative to `dir`, with its text.
fn files(dir: &Path) -> BTreeMap<PathBuf, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                out.insert(path.strip_prefix(root).unwrap().to_path_buf(), text);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn the_ui_bindings_are_the_rust_types() {
    let out = tempfile::tempdir().unwrap();
    // Every integer that crosses IPC is a count, an id or milliseconds, far below 2^53: a JS
    // number, not a bigint (serde_json writes them as plain numbers).
    let cfg = Config::new()
        .with_large_int("number")
        .with_out_dir(out.path());
    export_all(&cfg);
    let generated = files(out.path());
    assert!(
        generated.len() > 40,
        "the export wrote {} files",
        generated.len()
    );

    let dir = bindings_dir();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in &generated {
            let to = dir.join(path);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, text).unwrap();
        }
        return;
    }
    let kept = files(&dir);
    for (path, text) in &generated {
        match kept.get(path) {
            Some(k) if k == text => {}
            Some(k) => panic!(
                "ui/src/lib/bindings/{} differs from the Rust type; rerun with UPDATE_FIXTURES=1.\n\
                 Rust:\n{text}\nFile:\n{k}",
                path.display()
            ),
            None => panic!(
                "ui/src/lib/bindings/{} is missing; rerun with UPDATE_FIXTURES=1",
                path.display()
            ),
        }
    }
    let stale: Vec<_> = kept
        .keys()
        .filter(|p| !generated.contains_key(*p))
        .collect();
    assert!(
        stale.is_empty(),
        "no Rust type writes {stale:?} any more; rerun with UPDATE_FIXTURES=1"
    );
}
