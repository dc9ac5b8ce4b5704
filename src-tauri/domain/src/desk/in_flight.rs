//! What would stop if the app quit now: fleet jobs running and single commands waiting for their
//! answer. The window asks before closing while there is any (the app's close guard), and says
//! what it is. Each piece of work is registered by a guard that leaves with it, so a job or a
//! command that ends any way (done, failed, its window reloaded) is never left behind.

use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WorkInFlight {
    pub jobs: Vec<RunningJob>,
    /// Commands sent from a meter's page, waiting for their answer.
    pub commands: Vec<CommandInFlight>,
}

impl WorkInFlight {
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty() && self.commands.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum JobKind {
    /// A template applied to many meters.
    Bulk,
    /// A relay switched on many meters, a group at a time.
    RelayGroups,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunningJob {
    pub job_id: u64,
    pub kind: JobKind,
    /// Meters in the job.
    pub total: usize,
    /// Meters confirmed, failed, unconfirmed or skipped so far.
    pub finished: usize,
    /// Paused by the user, with no meter under way.
    pub paused: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CommandInFlight {
    pub meter: String,
    pub command: String,
}

/// The register of work under way.
#[derive(Default)]
pub struct InFlight {
    next: AtomicU64,
    jobs: Mutex<BTreeMap<u64, RunningJob>>,
    commands: Mutex<BTreeMap<u64, CommandInFlight>>,
}

impl InFlight {
    pub fn now(&self) -> WorkInFlight {
        WorkInFlight {
            jobs: self
                .jobs
                .lock()
                .expect("jobs lock")
                .values()
                .cloned()
                .collect(),
            commands: self
                .commands
                .lock()
                .expect("commands lock")
                .values()
                .cloned()
                .collect(),
        }
    }

    /// Registers a command until the guard is dropped.
    pub fn command(&self, meter: &str, command: &str) -> CommandGuard<'_> {
        let key = self.next.fetch_add(1, Ordering::Relaxed);
        let entry = CommandInFlight {
            meter: meter.to_string(),
            command: command.to_string(),
        };
        self.commands
            .lock()
            .expect("commands lock")
            .insert(key, entry);
        CommandGuard {
            register: self,
            key,
        }
    }

    /// Registers a running job until the guard is dropped.
    pub fn job(&self, job_id: u64, kind: JobKind, total: usize) -> JobGuard<'_> {
        let job = RunningJob {
            job_id,
            kind,
            total,
            finished: 0,
            paused: false,
        };
        self.jobs.lock().expect("jobs lock").insert(job_id, job);
        JobGuard {
            register: self,
            job_id,
        }
    }
}

pub struct CommandGuard<'a> {
    register: &'a InFlight,
    key: u64,
}

impl Drop for CommandGuard<'_> {
    fn drop(&mut self) {
        self.register
            .commands
            .lock()
            .expect("commands lock")
            .remove(&self.key);
    }
}

pub struct JobGuard<'a> {
    register: &'a InFlight,
    job_id: u64,
}

impl JobGuard<'_> {
    /// Where the job stands; a meter moving on means it is no longer paused.
    pub fn progress(&self, finished: usize, total: usize) {
        self.update(|job| {
            job.finished = finished;
            job.total = total;
            job.paused = false;
        });
    }

    pub fn paused(&self) {
        self.update(|job| job.paused = true);
    }

    fn update(&self, change: impl FnOnce(&mut RunningJob)) {
        if let Some(job) = self
            .register
            .jobs
            .lock()
            .expect("jobs lock")
            .get_mut(&self.job_id)
        {
            change(job);
        }
    }
}

impl Drop for JobGuard<'_> {
    fn drop(&mut self) {
        self.register
            .jobs
            .lock()
            .expect("jobs lock")
            .remove(&self.job_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_is_listed_while_its_guard_lives_and_gone_after() {
        let register = InFlight::default();
        assert!(register.now().is_empty());
        let job = register.job(7, JobKind::Bulk, 40);
        let command = register.command("000350000900", "SetRelay");
        job.progress(12, 40);
        job.paused();
        assert_eq!(
            register.now(),
            WorkInFlight {
                jobs: vec![RunningJob {
                    job_id: 7,
                    kind: JobKind::Bulk,
                    total: 40,
                    finished: 12,
                    paused: true,
                }],
                commands: vec![CommandInFlight {
                    meter: "000350000900".into(),
                    command: "SetRelay".into()
                }],
            }
        );
        drop(command);
        assert!(register.now().commands.is_empty());
        job.progress(13, 40);
        assert!(!register.now().jobs[0].paused, "moving on ends the pause");
        drop(job);
        assert!(register.now().is_empty());
    }
}
