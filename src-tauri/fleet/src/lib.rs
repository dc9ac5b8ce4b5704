//! `push3-fleet`: the same change on many meters, without Tauri.
//!
//! * [`template`]: a program (display list, TOU program, settings) saved under a name, in a
//!   versioned JSON file that is read strictly.
//! * [`bulk`]: a template to many meters: preview from read-back, run with bounded concurrency
//!   per gateway, pause, stop, resume, and a [`Report`] exportable as CSV or JSON.
//! * [`stagger`]: a relay command to many meters, a group at a time with a gap between groups.
//! * [`drift`]: which meters differ from a template, and a bulk job to bring the chosen ones in
//!   line.
//! * [`pacing`]: how many commands each gateway gets at once, learnt from its answers (a
//!   one-at-a-time gateway two or three, a side-by-side one up to the cap), and why a command's
//!   timeout counts from its turn at the gateway rather than from its send. The rule and its
//!   reasons are written there.
//!
//! Commands leave through a [`CommandSink`] (the app's, with its audit log and stored
//! passwords, or [`ClientSink`] over `push3::Client`s). The rules of the core hold throughout:
//! every command is validated before it is sent; a command that changes a meter is sent once; a
//! meter whose last command went unanswered is *unconfirmed* (it may still run, G10) and is
//! listed for the user, never resent by a later run (nor by a later job, which learns of it
//! through [`BulkJob::with_unconfirmed`]). Known settings are updated as outcomes
//! arrive ([`push3::program::KnownState`]), so a resumed or repeated job sends only what is
//! still missing, and the caller can persist them from [`Target::known`].
//!
//! Backtrack and bursts: the core client asks the response stream, on every (re)connect, to
//! replay as many stored answers as it has commands outstanding (plus 10), but a channel keeps
//! only so many (the simulator 100 by default; EKM's figure is unknown). Answers published while
//! no subscription listens are lost beyond that: 250 meters per gateway started at once on a
//! cold client against an instant gateway lost up to 150 answers per gateway (250 − 100) in 9
//! of 25 runs, and none with 1,000 stored. Those commands ran; they are reported unconfirmed and
//! never resent. The per-gateway bound ([`DEFAULT_PER_GATEWAY`], the cap of the
//! pace) keeps each gateway's outstanding commands below the stored count, so it cannot happen
//! at the default.

pub mod bulk;
pub mod control;
pub mod drift;
mod driver;
pub mod event;
mod meter_run;
pub mod pacing;
mod read_back;
pub mod report;
pub mod sink;
pub mod stagger;
pub mod target;
pub mod template;

pub use bulk::{BulkJob, Preview, PreviewRow, Verdict, DEFAULT_PER_GATEWAY};
pub use control::{Control, RunMode};
pub use drift::{drift, Basis, DriftReport, DriftRow, DriftStatus};
pub use event::{GatewayLoad, JobEvent, Progress};
pub use meter_run::{CommandRecord, CommandResult, Counts, MeterState, SkipReason};
pub use pacing::{AloneSend, Paces};
pub use read_back::ReadProgress;
pub use report::{Report, ReportRow};
pub use sink::{ClientSink, CommandSink, SendError, Sent, Turn};
pub use stagger::RelayGroups;
pub use target::{MeterRef, Target};
pub use template::{Template, TemplateError, TemplateErrorCode, TemplateKind};
