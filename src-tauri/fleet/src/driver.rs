//! The one loop every fleet job runs on: start meters as the admission rule allows, send each
//! meter's commands in order, stop a meter at its first command that is not confirmed, and keep
//! each meter's state, known settings and event stream up to date.
//!
//! Everything runs on the caller's task: commands in flight are futures polled together, and
//! every state change happens here, between them. A command that changes a meter is handed to
//! the sink once and never again; what a later run does is decided by the meter states alone.

use crate::control::{Control, RunMode};
use crate::event::{GatewayLoad, JobEvent, Progress};
use crate::meter_run::{CommandRecord, CommandResult, MeterRun, MeterRuns, MeterState, SkipReason};
use crate::pacing::Pacing;
use crate::sink::{CommandSink, SendError, Sent, Turn};
use crate::target::{MeterRef, Target};
use futures_util::stream::{FuturesUnordered, StreamExt};
use push3::{Command, Outcome};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

/// Which meters may start, and when.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Admission {
    /// As many meters under way per gateway as its pace allows (crate::pacing), never more than
    /// `limit`.
    PerGateway { limit: usize },
    /// `size` meters at a time; a group starts `gap` after the previous group started, and not
    /// before every meter of it has finished, so two groups never overlap on the gateways.
    Groups { size: usize, gap: Duration },
}

/// What a meter should be sent, from what is known of it now; a skip when nothing.
pub(crate) type PlanFn<'p> = dyn Fn(&Target) -> Result<Vec<Command>, SkipReason> + Sync + 'p;

/// Runs every startable meter of `runs` until all are finished, or the run is stopped.
pub(crate) async fn drive<S: CommandSink>(
    runs: &mut MeterRuns,
    admission: Admission,
    plan: &PlanFn<'_>,
    sink: &S,
    control: &Control,
    on_event: &mut impl FnMut(JobEvent),
) {
    let mut job = Job {
        runs: &mut runs.0,
        plan,
        on_event,
    };
    job.settle_interrupted();
    let mut waiting = Waiting::new(job.runs.as_slice(), admission);
    // The sink's pace when it keeps one across jobs and single commands (the app's), else one
    // for this run.
    let paces = sink.paces().unwrap_or_default();
    let cap = match admission {
        Admission::PerGateway { limit } => limit,
        // The user's groups decide how many go at once; the pace only times them.
        Admission::Groups { .. } => usize::MAX,
    };
    let mut loads = Loads::default();
    let mut mode = control.watch();
    let mut in_flight = FuturesUnordered::new();
    let mut told_paused = false;
    loop {
        let now_mode = *mode.borrow_and_update();
        if now_mode == RunMode::Running {
            told_paused = false;
            loop {
                let next = waiting.next_to_start(Instant::now(), in_flight.len(), &paces.lock());
                let Some(index) = next else { break };
                if let Some(command) = job.start(index) {
                    let at = job.at(index);
                    waiting.started(&at);
                    let (id, turn) = paces.lock().sent(&at.gateway_id);
                    in_flight.push(send(sink, index, at, command, id, turn));
                }
            }
            waiting.group_admitted(Instant::now());
        }
        loads.tell(job.runs, &waiting, &paces.lock(), job.on_event);
        if in_flight.is_empty() {
            if waiting.is_empty() || now_mode == RunMode::Stopped {
                break;
            }
            if now_mode == RunMode::Paused && !told_paused {
                (job.on_event)(JobEvent::Paused);
                told_paused = true;
            }
        }
        let group_due = waiting
            .next_group_at()
            .filter(|_| now_mode == RunMode::Running && in_flight.is_empty());
        tokio::select! {
            Some(done) = in_flight.next(), if !in_flight.is_empty() => {
                let index = done.index;
                let at = job.at(index);
                paces
                    .lock()
                    .ended(&at.gateway_id, done.id, done.gateway_answered(), cap);
                match job.finish(done) {
                    Some(next) => {
                        let (id, turn) = paces.lock().sent(&at.gateway_id);
                        in_flight.push(send(sink, index, at, next, id, turn));
                    }
                    None => waiting.finished(&at),
                }
            }
            // The sender lives in `control`, borrowed for the whole run: this never ends.
            Ok(()) = mode.changed() => {}
            () = tokio::time::sleep_until(group_due.unwrap_or_else(Instant::now)), if group_due.is_some() => {}
        }
    }
    for index in waiting.drain() {
        job.set_state(index, MeterState::Stopped);
    }
}

/// A command's end, as the future in flight returns it.
struct Done {
    index: usize,
    /// The pace's id of the command.
    id: u64,
    command: Command,
    result: Result<Sent, SendError>,
}

impl Done {
    /// Whether the gateway itself answered, so the latency tells of its pace.
    fn gateway_answered(&self) -> bool {
        matches!(
            &self.result,
            Ok(Sent {
                outcome: Outcome::Confirmed { .. } | Outcome::Failed { .. },
                ..
            })
        )
    }
}

async fn send<S: CommandSink>(
    sink: &S,
    index: usize,
    at: MeterRef,
    command: Command,
    id: u64,
    turn: Turn,
) -> Done {
    let result = sink.send(&at.gateway_id, &at.meter, &command, turn).await;
    Done {
        index,
        id,
        command,
        result,
    }
}

/// What each gateway was last told to have waiting and under way, so a change is told once.
#[derive(Default)]
struct Loads(HashMap<String, GatewayLoad>);

impl Loads {
    fn tell(
        &mut self,
        runs: &[MeterRun],
        waiting: &Waiting,
        pacing: &Pacing,
        on_event: &mut impl FnMut(JobEvent),
    ) {
        let mut waiting_for: BTreeMap<&str, usize> = runs
            .iter()
            .map(|r| (r.target.at.gateway_id.as_str(), 0))
            .collect();
        for index in waiting.queued() {
            *waiting_for
                .entry(runs[index].target.at.gateway_id.as_str())
                .or_default() += 1;
        }
        for (gateway_id, waiting) in waiting_for {
            let load = GatewayLoad {
                gateway_id: gateway_id.to_string(),
                waiting,
                under_way: pacing.in_flight(gateway_id),
                window: pacing.window(gateway_id, usize::MAX),
            };
            if self.0.get(&load.gateway_id) != Some(&load) {
                self.0.insert(load.gateway_id.clone(), load.clone());
                on_event(JobEvent::Gateway(load));
            }
        }
    }
}

/// The meters and what the loop tells about them.
struct Job<'r, 'p, E> {
    runs: &'r mut Vec<MeterRun>,
    plan: &'p PlanFn<'p>,
    on_event: &'r mut E,
}

impl<E: FnMut(JobEvent)> Job<'_, '_, E> {
    /// A run that was dropped mid-way (the app closed, the task was cancelled) left meters
    /// running whose last command may or may not have reached the gateway: they become
    /// unconfirmed, never restarted without the user's word.
    fn settle_interrupted(&mut self) {
        for index in 0..self.runs.len() {
            if let MeterState::Running { .. } = self.runs[index].state {
                let run = &mut self.runs[index];
                let command = run.sending.take().unwrap_or("a command");
                run.remaining.clear();
                self.set_state(
                    index,
                    MeterState::Unconfirmed {
                        command: command.to_string(),
                        msg_id: None,
                    },
                );
            }
        }
    }

    fn at(&self, index: usize) -> MeterRef {
        self.runs[index].target.at.clone()
    }

    /// Plans the meter from what is known of it now (so a resumed meter sends only what is
    /// still missing) and returns its first command, or settles it as skipped.
    fn start(&mut self, index: usize) -> Option<Command> {
        let run = &mut self.runs[index];
        let commands = match (self.plan)(&run.target) {
            Ok(commands) if commands.is_empty() => Err(SkipReason::Complies),
            other => other,
        };
        match commands {
            Err(reason) => {
                self.set_state(index, MeterState::Skipped { reason });
                None
            }
            Ok(commands) => {
                let of = commands.len();
                run.remaining = commands.into();
                let first = run.remaining.pop_front();
                run.sending = first.as_ref().map(Command::name);
                self.set_state(index, MeterState::Running { done: 0, of });
                first
            }
        }
    }

    /// Records a command's end and returns the meter's next command, if it goes on.
    fn finish(&mut self, done: Done) -> Option<Command> {
        let Done {
            index,
            command,
            result,
            ..
        } = done;
        let run = &mut self.runs[index];
        run.sending = None;
        let (record, next_state) = match result {
            Err(error) => {
                let state = MeterState::Failed {
                    error: format!("{} not sent: {error}", command.name()),
                };
                (CommandResult::NotSent { error }, Some(state))
            }
            Ok(Sent {
                msg_id,
                outcome,
                elapsed,
            }) => {
                let state = match &outcome {
                    Outcome::Confirmed { data, .. } => {
                        run.target.known.record_confirmed(
                            &command,
                            data.as_ref(),
                            chrono::Utc::now(),
                        );
                        None
                    }
                    Outcome::Failed { error, .. } | Outcome::Rejected { error } => {
                        Some(MeterState::Failed {
                            error: format!("{}: {error}", command.name()),
                        })
                    }
                    Outcome::Unconfirmed => {
                        run.target.known.forget_written_by(&command);
                        Some(MeterState::Unconfirmed {
                            command: command.name().to_string(),
                            msg_id: msg_id.clone(),
                        })
                    }
                };
                let elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
                let record = CommandResult::Answered {
                    msg_id,
                    outcome,
                    elapsed_ms,
                };
                (record, state)
            }
        };
        let record = CommandRecord::new(&command, record);
        run.commands.push(record.clone());
        let at = run.target.at.clone();
        (self.on_event)(JobEvent::Command { at, record });

        let run = &mut self.runs[index];
        let (state, next) = match (next_state, run.remaining.pop_front()) {
            (Some(end), _) => (end, None),
            (None, None) => (MeterState::Confirmed, None),
            (None, Some(next)) => match run.state {
                MeterState::Running { done, of } => {
                    (MeterState::Running { done: done + 1, of }, Some(next))
                }
                ref other => (other.clone(), Some(next)),
            },
        };
        if next.is_none() {
            run.remaining.clear();
        }
        run.sending = next.as_ref().map(Command::name);
        self.set_state(index, state);
        next
    }

    fn set_state(&mut self, index: usize, state: MeterState) {
        let run = &mut self.runs[index];
        run.state = state.clone();
        let at = run.target.at.clone();
        (self.on_event)(JobEvent::Meter { at, state });
        let counts = crate::meter_run::Counts::of(self.runs.iter().map(|r| &r.state));
        (self.on_event)(JobEvent::Progress(Progress::new(counts, self.runs.len())));
    }
}

/// The meters not started yet, and the admission rule's bookkeeping.
enum Waiting {
    PerGateway {
        limit: usize,
        /// In order of each gateway's first meter, so the first gateways do not starve.
        queues: Vec<(String, VecDeque<usize>)>,
        busy: HashMap<String, usize>,
    },
    Groups {
        size: usize,
        gap: Duration,
        queue: VecDeque<usize>,
        /// Meters started in the group being admitted.
        in_group: usize,
        next_group_at: Option<Instant>,
    },
}

impl Waiting {
    fn new(runs: &[MeterRun], admission: Admission) -> Self {
        let startable = runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.state.is_startable());
        match admission {
            Admission::PerGateway { limit } => {
                let mut queues: Vec<(String, VecDeque<usize>)> = Vec::new();
                for (index, run) in startable {
                    let gateway = &run.target.at.gateway_id;
                    match queues.iter_mut().find(|(g, _)| g == gateway) {
                        Some((_, queue)) => queue.push_back(index),
                        None => queues.push((gateway.clone(), VecDeque::from([index]))),
                    }
                }
                Waiting::PerGateway {
                    limit: limit.max(1),
                    queues,
                    busy: HashMap::new(),
                }
            }
            Admission::Groups { size, gap } => Waiting::Groups {
                size: size.max(1),
                gap,
                queue: startable.map(|(i, _)| i).collect(),
                in_group: 0,
                next_group_at: None,
            },
        }
    }

    /// The next meter the rule lets start now, taken off the queue.
    fn next_to_start(&mut self, now: Instant, in_flight: usize, pacing: &Pacing) -> Option<usize> {
        match self {
            Waiting::PerGateway {
                limit,
                queues,
                busy,
            } => queues.iter_mut().find_map(|(gateway, queue)| {
                let busy = busy.get(gateway.as_str()).copied().unwrap_or(0);
                let window = pacing.window(gateway, *limit);
                (busy < window).then(|| queue.pop_front()).flatten()
            }),
            Waiting::Groups {
                size,
                queue,
                in_group,
                next_group_at,
                ..
            } => {
                let group_open = *in_group > 0 && *in_group < *size;
                let group_due = in_flight == 0 && next_group_at.is_none_or(|at| now >= at);
                if group_open || (*in_group == 0 && group_due) {
                    queue.pop_front()
                } else {
                    None
                }
            }
        }
    }

    fn started(&mut self, at: &MeterRef) {
        match self {
            Waiting::PerGateway { busy, .. } => {
                *busy.entry(at.gateway_id.clone()).or_default() += 1
            }
            Waiting::Groups { in_group, .. } => *in_group += 1,
        }
    }

    /// After an admission round: a group that started meters is closed, and the next one is
    /// due `gap` after it.
    fn group_admitted(&mut self, now: Instant) {
        if let Waiting::Groups {
            gap,
            in_group,
            next_group_at,
            ..
        } = self
        {
            if *in_group > 0 {
                *in_group = 0;
                *next_group_at = Some(now + *gap);
            }
        }
    }

    fn finished(&mut self, at: &MeterRef) {
        if let Waiting::PerGateway { busy, .. } = self {
            if let Some(n) = busy.get_mut(at.gateway_id.as_str()) {
                *n = n.saturating_sub(1);
            }
        }
    }

    fn next_group_at(&self) -> Option<Instant> {
        match self {
            Waiting::Groups { next_group_at, .. } => *next_group_at,
            Waiting::PerGateway { .. } => None,
        }
    }

    /// The meters not started yet.
    fn queued(&self) -> Box<dyn Iterator<Item = usize> + '_> {
        match self {
            Waiting::PerGateway { queues, .. } => {
                Box::new(queues.iter().flat_map(|(_, q)| q.iter().copied()))
            }
            Waiting::Groups { queue, .. } => Box::new(queue.iter().copied()),
        }
    }

    fn is_empty(&self) -> bool {
        match self {
            Waiting::PerGateway { queues, .. } => queues.iter().all(|(_, q)| q.is_empty()),
            Waiting::Groups { queue, .. } => queue.is_empty(),
        }
    }

    fn drain(&mut self) -> Vec<usize> {
        let mut left: Vec<usize> = match self {
            Waiting::PerGateway { queues, .. } => {
                queues.iter_mut().flat_map(|(_, q)| q.drain(..)).collect()
            }
            Waiting::Groups { queue, .. } => queue.drain(..).collect(),
        };
        left.sort_unstable();
        left
    }
}
