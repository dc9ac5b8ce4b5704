//! The order of the one audited send (`Records::send_on_record`), against a real simulator and a
//! real store: the command is on record before the API receives it, and a store that cannot take
//! the record stops the command before anything is sent.

use push3::{Client, ClientConfig, MeterAddress, ParsedCommand, Secret};
use push3_audit::{Filter, NewEntry, Outcome, Page, Source};
use push3_domain::store::{
    AuditStore, DraftStore, InventoryStore, KnownSettingsStore, LocalStore, MeterRateStore, Store,
    TemplateStore,
};
use push3_domain::{Learning, Records, StoreChange, Unsent};
use push3_fleet::Turn;
use push3_sim::{Faults, SimConfig, Simulator, DEMO_KEY};
use std::sync::Arc;
use std::time::Duration;

const METER: &str = "000350000900";

fn relay_close() -> ParsedCommand {
    push3::parse(
        "SetRelay",
        &serde_json::json!({"relay": "Relay_1", "status": "close", "duration": 0}),
        &Default::default(),
    )
    .unwrap()
}

fn client(sim: &Simulator) -> Client {
    Client::new(
        ClientConfig::new(Secret::new(DEMO_KEY))
            .with_api_url(sim.api_url())
            .with_timeout(Duration::from_secs(10)),
    )
    .unwrap()
}

fn entry(parsed: &ParsedCommand) -> NewEntry {
    let meter = MeterAddress::parse(METER).unwrap();
    NewEntry::for_command(
        Source::Cli,
        "demo",
        "Demo gateway",
        &meter,
        parsed,
        push3::undocumented::WireProfile::default_profile(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn the_command_is_on_record_before_the_api_receives_it() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    // The API holds each request for a moment: long enough to look at the store meanwhile.
    sim.set_faults(Faults {
        accept_delay: Duration::from_millis(500),
        ..Faults::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let records = Records::new(Arc::new(LocalStore::open(dir.path())), |w| panic!("{w}")).unwrap();
    let parsed = relay_close();
    let client = client(&sim);
    let meter = MeterAddress::parse(METER).unwrap();
    let send = records.send_on_record(
        entry(&parsed),
        client.send(&meter, &parsed),
        Turn::now(),
        Some(&parsed.command),
        Learning::InMemory,
        |_| {},
    );
    let watch = async {
        while sim.requests().is_empty() {
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        // The API has the request and has not answered yet: the record must already exist.
        let on_record = records
            .store()
            .audit()
            .unwrap()
            .query(&Filter::default(), &Page::first(10))
            .unwrap()
            .entries;
        assert_eq!(on_record.len(), 1, "on record when the API received it");
        assert_eq!(on_record[0].outcome, Outcome::Pending);
        assert_eq!(on_record[0].msg_id, None, "not accepted yet");
    };
    let (sent, ()) = tokio::join!(send, watch);
    let sent = sent.unwrap();
    assert!(sent.outcome.is_confirmed(), "{:?}", sent.outcome);
    let after = records
        .store()
        .audit()
        .unwrap()
        .query(&Filter::default(), &Page::first(10))
        .unwrap()
        .entries;
    assert_eq!(after[0].outcome, Outcome::Confirmed);
    assert_eq!(after[0].msg_id, sent.msg_id);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_that_fails_between_open_and_write_sends_nothing() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let records = Records::new(Arc::new(LocalStore::open(dir.path())), |w| panic!("{w}")).unwrap();
    // Opened fine; from now on every new record is refused, as a full disk would refuse it.
    push3_store::connect(&push3_store::path_in(dir.path()))
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER disk_full BEFORE INSERT ON entries
               BEGIN SELECT RAISE(ABORT, 'database or disk is full (simulated)'); END;",
        )
        .unwrap();
    let parsed = relay_close();
    let client = client(&sim);
    let meter = MeterAddress::parse(METER).unwrap();
    let result = records
        .send_on_record(
            entry(&parsed),
            client.send(&meter, &parsed),
            Turn::now(),
            Some(&parsed.command),
            Learning::InMemory,
            |_| panic!("nothing may be accepted"),
        )
        .await;
    match result {
        Err(Unsent::NotRecorded(e)) => assert!(e.message().contains("disk is full"), "{e}"),
        other => panic!("expected NotRecorded, got {other:?}"),
    }
    assert!(sim.requests().is_empty(), "nothing reached the API");
}

/// A store whose audit log is out of reach, as a server database would be when the network is
/// down: the domain reaches the audit log only through [`Store`], so it sends nothing.
struct AuditUnreachable(LocalStore);

impl Store for AuditUnreachable {
    fn inventory(&self) -> &dyn InventoryStore {
        self.0.inventory()
    }
    fn audit(&self) -> push3_audit::Result<&dyn AuditStore> {
        Err(push3_audit::AuditError::Database {
            message: "the audit server cannot be reached".into(),
        })
    }
    fn known(&self) -> &dyn KnownSettingsStore {
        self.0.known()
    }
    fn templates(&self) -> &dyn TemplateStore {
        self.0.templates()
    }
    fn drafts(&self) -> &dyn DraftStore {
        self.0.drafts()
    }
    fn rates(&self) -> &dyn MeterRateStore {
        self.0.rates()
    }
    fn subscribe(&self, notify: Box<dyn Fn(StoreChange) -> bool + Send>) {
        self.0.subscribe(notify)
    }
}

#[test]
fn without_its_audit_log_a_store_takes_no_send() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(AuditUnreachable(LocalStore::open(dir.path())));
    match Records::new(store, |w| panic!("{w}")) {
        Err(e) => assert!(e.message().contains("cannot be reached"), "{e}"),
        Ok(_) => panic!("records opened without an audit log"),
    }
}

/// A connection test on record from the CLI, as `push3 gateway test` runs one (no line to wait
/// in), of `client` against the demo gateway.
async fn test_on_demo(
    records: &Records,
    meter: &MeterAddress,
    client: &Client,
) -> Result<push3::ConnectionTest, push3_audit::AuditError> {
    records
        .test_on_record(
            Source::Cli,
            ("demo", "Demo gateway"),
            meter,
            client,
            Turn::now(),
        )
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_connection_tests_read_is_on_record_as_accepted_before_its_answer_and_ends_as_it_did() {
    // The gateway takes the read and never answers: the wait is long enough to look at the
    // store meanwhile, as a process killed then would leave it.
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    sim.set_faults(Faults {
        silent: true,
        ..Faults::default()
    });
    let dir = tempfile::tempdir().unwrap();
    let records = Records::new(Arc::new(LocalStore::open(dir.path())), |w| panic!("{w}")).unwrap();
    let client = Client::new(
        ClientConfig::new(Secret::new(DEMO_KEY))
            .with_api_url(sim.api_url())
            .with_timeout(Duration::from_secs(2)),
    )
    .unwrap();
    let meter = MeterAddress::parse(METER).unwrap();
    let entries = || {
        records
            .store()
            .audit()
            .unwrap()
            .query(&Filter::default(), &Page::first(10))
            .unwrap()
            .entries
    };
    let test = test_on_demo(&records, &meter, &client);
    let watch = async {
        while entries().first().and_then(|e| e.msg_id.clone()).is_none() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let waiting = &entries()[0];
        assert_eq!(
            waiting.outcome,
            Outcome::Pending,
            "accepted, not answered yet"
        );
        assert_eq!(waiting.command, "GetTariffData");
    };
    let (test, ()) = tokio::join!(test, watch);
    let test = test.unwrap();
    assert_eq!(entries()[0].outcome, Outcome::Unconfirmed);
    assert_eq!(entries()[0].msg_id, test.msg_id);

    // A read the API refuses ends as rejected, with the API's words, and one that cannot reach
    // it as an error: never as unconfirmed.
    let refused =
        Client::new(ClientConfig::new(Secret::new("bm9wZTpub3Bl")).with_api_url(sim.api_url()))
            .unwrap();
    test_on_demo(&records, &meter, &refused).await.unwrap();
    let newest = &entries()[0];
    assert_eq!(newest.outcome, Outcome::Rejected);
    assert!(newest
        .error_text
        .as_deref()
        .unwrap_or_default()
        .contains("invalid key"));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nowhere = Client::new(
        ClientConfig::new(Secret::new(DEMO_KEY)).with_api_url(format!("http://127.0.0.1:{port}")),
    )
    .unwrap();
    test_on_demo(&records, &meter, &nowhere).await.unwrap();
    assert_eq!(entries()[0].outcome, Outcome::Error);
}
