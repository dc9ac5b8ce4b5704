//! What the one store costs: the writes every command adds (audit `begin`, `accepted`, `finish`
//! and the known settings it teaches, as `Records::send_on_record` makes them), and the inventory
//! at 10,000 meters (the list `push3 meter list` and the sidebar read, one meter's look-up before
//! each send, and adding a meter, whose transaction reads the inventory under the write lock).
//!
//! A real file in a temporary folder, WAL mode, as the app and the CLI open it. Each figure is
//! timed per operation with `Instant`, for p50/p99/max; no network is involved.

use push3::command::Command;
use push3::{MeterAddress, MeterVersion, Outcome};
use push3_audit::{Finish, NewEntry, Source};
use push3_domain::store::{LocalStore, Store};
use push3_inventory::{Inventory, MeterFilter, NewMeter, SystemKeychain};
use std::sync::Arc;
use std::time::{Duration, Instant};

const METERS: usize = 10_000;
const GATEWAYS: usize = 10;
const COMMAND_SAMPLES: usize = 5_000;
const READ_SAMPLES: usize = 200;
const ADD_SAMPLES: usize = 200;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(name: &str, mut times: Vec<Duration>) -> Duration {
    times.sort();
    let ms = |d: Duration| format!("{:.3} ms", d.as_secs_f64() * 1e3);
    let p50 = percentile(&times, 0.5);
    println!(
        "{name} ({} samples): p50 {} / p99 {} / max {}",
        times.len(),
        ms(p50),
        ms(percentile(&times, 0.99)),
        ms(*times.last().unwrap())
    );
    p50
}

fn address(i: usize) -> MeterAddress {
    MeterAddress::parse(&(350_000_000 + i).to_string()).unwrap()
}

/// 10 gateways and 10,000 meters with two tags each, written straight into the tables (the
/// inventory's own API would need a keychain for the gateways' keys).
fn fill_inventory(data_dir: &std::path::Path) {
    let mut conn = push3_store::open(&push3_store::path_in(data_dir)).unwrap();
    let tx = conn.transaction().unwrap();
    for g in 0..GATEWAYS {
        tx.execute(
            "INSERT INTO gateways (id, name, api_url, note, has_token, key_hint) \
             VALUES (?1, ?2, 'https://api.ekmpush.com', '', 0, '••••MDIw')",
            (format!("gw-{g}"), format!("Building {g}")),
        )
        .unwrap();
    }
    for i in 0..METERS {
        let address = address(i).to_string();
        tx.execute(
            "INSERT INTO meters (address, nickname, version, gateway_id, has_password) \
             VALUES (?1, ?2, 'V4', ?3, 0)",
            (
                &address,
                format!("Meter {i}"),
                format!("gw-{}", i % GATEWAYS),
            ),
        )
        .unwrap();
        for (position, tag) in [format!("floor-{}", i % 20), "hvac".to_string()]
            .iter()
            .enumerate()
        {
            tx.execute(
                "INSERT INTO meter_tags (address, position, tag) VALUES (?1, ?2, ?3)",
                (&address, position as i64, tag),
            )
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    fill_inventory(dir.path());
    // Through the domain's Store interface, as every send reaches it.
    let store: Arc<dyn Store> = Arc::new(LocalStore::open(dir.path()));
    let audit = store.audit().unwrap();
    let gateway = "gw-1";

    // One command's writes, as send_on_record makes them around a send.
    let mut begins = Vec::new();
    let mut accepts = Vec::new();
    let mut finishes = Vec::new();
    let mut learns = Vec::new();
    let mut totals = Vec::new();
    for i in 0..COMMAND_SAMPLES {
        let meter = address(i % METERS);
        // A value that changes every time, so the known settings are written each time.
        let command = Command::SetCTRatio {
            ct_ratio: [100, 200, 400, 800][i % 4],
        };
        let entry = NewEntry {
            time: chrono::Utc::now(),
            source: Source::App,
            gateway_id: gateway.into(),
            gateway_name: "Building 1".into(),
            meter: meter.clone(),
            command: "SetCTRatio".into(),
            params: serde_json::json!({"ct_ratio": 400}),
            summary: "CT ratio 400".into(),
        };
        let outcome = Outcome::Confirmed {
            data: None,
            timestamp: 0.0,
        };
        let t0 = Instant::now();
        let id = audit.begin(entry).unwrap();
        let t1 = Instant::now();
        audit
            .accepted(id, &format!("{i:032x}"), &format!("response_{i}"))
            .unwrap();
        let t2 = Instant::now();
        audit
            .finish(
                id,
                &Finish::from_outcome(&outcome, Some(&format!("{i:032x}")), 850),
            )
            .unwrap();
        let t3 = Instant::now();
        store
            .known()
            .record(gateway, &meter, true, &command, &outcome)
            .unwrap();
        let t4 = Instant::now();
        begins.push(t1 - t0);
        accepts.push(t2 - t1);
        finishes.push(t3 - t2);
        learns.push(t4 - t3);
        totals.push(t4 - t0);
    }
    println!("== per command, {METERS} meters in the store");
    report("audit begin", begins);
    report("audit accepted", accepts);
    report("audit finish", finishes);
    report("known settings record", learns);
    report("all four (the store's cost of one command)", totals);

    let inventory = Inventory::with_keychain(dir.path(), SystemKeychain::new("unused-bench"));
    let mut lists = Vec::new();
    for _ in 0..READ_SAMPLES {
        let t = Instant::now();
        let meters = inventory.list_meters(&MeterFilter::default()).unwrap();
        lists.push(t.elapsed());
        assert_eq!(meters.len(), METERS);
    }
    let mut lookups = Vec::new();
    for i in 0..READ_SAMPLES {
        let t = Instant::now();
        inventory.meter(&address(i * 37 % METERS)).unwrap();
        lookups.push(t.elapsed());
    }
    let mut adds = Vec::new();
    for i in 0..ADD_SAMPLES {
        let new = NewMeter::new(address(METERS + i), MeterVersion::V4, "gw-3".into());
        let t = Instant::now();
        inventory.add_meter(new).unwrap();
        adds.push(t.elapsed());
    }
    println!("== inventory at {METERS} meters");
    report("list every meter (push3 meter list, the sidebar)", lists);
    report("one meter by address (before each send)", lookups);
    report("add a meter (one write transaction)", adds);
}
