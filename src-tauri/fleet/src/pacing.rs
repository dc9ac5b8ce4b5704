//! How many commands each gateway is given at once, learnt from its own answers, and when each
//! command's answer starts being timed.
//!
//! # The rule
//!
//! A Push3 gateway runs meter commands over one RS-485 bus: most run one at a time, some run a
//! few side by side. A command sent while others are under way waits its turn at the gateway, so
//! its latency is the round trip, its wait, and its own service time. More in flight than the
//! gateway runs buys no throughput, only that wait; fewer leaves the gateway idle during each
//! round trip.
//!
//! So each gateway's window (commands in flight) follows its latency, as TCP Vegas does with a
//! network path:
//!
//! - `base` is the shortest latency seen: one command's service time and round trip, with
//!   nothing queued in front of it.
//! - A command sent with `w` in flight (itself included) that took `L` shows about
//!   `queued = w × (1 − base / L)` commands waiting at the gateway, and `w × base / L` running.
//! - Under half a command queued (or a tenth of those in flight, whichever is more), latency does
//!   not grow with the number in flight: the gateway runs them side by side, and the window
//!   widens by half the number that was in flight.
//! - Over one and a half queued (or a quarter of those in flight), it is queueing: the window
//!   narrows by one, to no fewer than two, so one command is always ready behind the running
//!   one to hide the round trip. The thresholds grow with the window because at 32 in flight a
//!   latency 3% over the base, timer and scheduling noise, already reads as one queued.
//!
//! A one-at-a-time gateway settles at two or three in flight; a side-by-side one widens to the
//! caller's cap.
//!
//! # Timing from the turn
//!
//! A command's timeout counts from its turn: when fewer commands sent before it to the same
//! gateway are still unanswered than the gateway is known to run side by side (one, until its
//! answers show more). A command behind three others on a gateway at 3 s a command is not
//! timed during the 9 s it waits, so a healthy, busy gateway never gives a false unconfirmed.
//! A command whose turn never comes would wait for ever only if the one ahead never ended, and
//! every command ends: answered, or unconfirmed at its own timeout. Nothing is ever resent.

use crate::sink::{Turn, TurnGiver};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::time::Instant;

/// The window a gateway starts with: one command running, one ready behind it.
pub const START_WINDOW: usize = 2;

/// A command under way at a gateway.
struct InLine {
    id: u64,
    sent: Instant,
    /// Commands in flight to the gateway when it was sent, itself included.
    in_flight_at_send: usize,
    turn: TurnGiver,
}

struct GatewayPace {
    window: usize,
    base: Option<Duration>,
    /// How many commands the gateway runs side by side, as its answers show.
    side_by_side: usize,
    /// In the order they were sent.
    line: VecDeque<InLine>,
}

impl GatewayPace {
    fn new() -> Self {
        Self {
            window: START_WINDOW,
            base: None,
            side_by_side: 1,
            line: VecDeque::new(),
        }
    }

    /// Gives their turn to the commands near enough the front.
    fn give_turns(&mut self) {
        for waiting in self.line.iter_mut().take(self.side_by_side) {
            waiting.turn.give();
        }
    }

    fn learn(&mut self, latency: Duration, in_flight_at_send: usize, cap: usize) {
        let latency = latency.max(Duration::from_micros(1));
        let base = *self.base.get_or_insert(latency);
        let base = if latency < base {
            self.base = Some(latency);
            latency
        } else {
            base
        };
        let w = in_flight_at_send as f64;
        let share = base.as_secs_f64() / latency.as_secs_f64();
        let queued = w * (1.0 - share);
        // Thresholds grow with the window: at 32 in flight a latency 3% over the base (timer and
        // scheduling noise) already reads as one command queued.
        if queued < (0.1 * w).max(0.5) {
            // Half a window per answer: about 1.5× per round trip, so a side-by-side gateway
            // reaches the cap in a few hundred milliseconds, and a one-at-a-time one (two in
            // flight) never by more than one.
            self.window = (self.window + (in_flight_at_send / 2).max(1)).min(cap);
        } else if queued > (0.25 * w).max(1.5) {
            self.window = self.window.saturating_sub(1).max(START_WINDOW);
        }
        let running = (w * share).round() as usize;
        self.side_by_side = running.clamp(1, self.window);
    }
}

/// The most a window ever widens to, whatever a caller's cap: far more than a gateway runs.
const MAX_WINDOW: usize = 256;

/// Every gateway's pace, and the commands under way at each.
#[derive(Default)]
pub(crate) struct Pacing {
    next_id: u64,
    gateways: HashMap<String, GatewayPace>,
}

impl Pacing {
    fn gateway(&mut self, gateway_id: &str) -> &mut GatewayPace {
        self.gateways
            .entry(gateway_id.to_string())
            .or_insert_with(GatewayPace::new)
    }

    /// How many commands the gateway may have in flight now, at most `cap`.
    pub(crate) fn window(&self, gateway_id: &str, cap: usize) -> usize {
        self.gateways
            .get(gateway_id)
            .map_or(START_WINDOW, |g| g.window)
            .min(cap)
            .max(1)
    }

    /// Commands in flight to the gateway.
    pub(crate) fn in_flight(&self, gateway_id: &str) -> usize {
        self.gateways.get(gateway_id).map_or(0, |g| g.line.len())
    }

    /// A command goes to the gateway now: its id for [`Pacing::ended`], and its turn.
    pub(crate) fn sent(&mut self, gateway_id: &str) -> (u64, Turn) {
        let id = self.next_id;
        self.next_id += 1;
        let (giver, turn) = Turn::later();
        let gateway = self.gateway(gateway_id);
        let in_flight_at_send = gateway.line.len() + 1;
        gateway.line.push_back(InLine {
            id,
            sent: Instant::now(),
            in_flight_at_send,
            turn: giver,
        });
        gateway.give_turns();
        (id, turn)
    }

    /// The command ended. `answered`: the gateway answered it (confirmed or failed), so its
    /// latency says something of the gateway; a command unconfirmed, refused by the API or not
    /// sent says nothing. The window widens no further than `cap`.
    pub(crate) fn ended(&mut self, gateway_id: &str, id: u64, answered: bool, cap: usize) {
        let cap = cap.clamp(START_WINDOW, MAX_WINDOW);
        let gateway = self.gateway(gateway_id);
        let Some(position) = gateway.line.iter().position(|c| c.id == id) else {
            return;
        };
        let Some(done) = gateway.line.remove(position) else {
            return;
        };
        if answered {
            gateway.learn(done.sent.elapsed(), done.in_flight_at_send, cap);
        }
        gateway.give_turns();
    }
}

/// Every gateway's pace, shared: cloning shares it. The app keeps one for all its jobs and its
/// single commands, so a job starts from what the last one learnt of a gateway, and a command
/// sent from a meter's page while a job runs takes its turn behind the job's commands at that
/// gateway rather than being timed while it waits there.
#[derive(Clone, Default)]
pub struct Paces(Arc<Mutex<Pacing>>);

impl Paces {
    pub(crate) fn lock(&self) -> MutexGuard<'_, Pacing> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many commands the gateway may have in flight, at most `cap`.
    pub fn window(&self, gateway_id: &str, cap: usize) -> usize {
        self.lock().window(gateway_id, cap)
    }

    /// One command sent on its own (not by a job) to the gateway now: its turn, and the guard
    /// that tells the pace how it ended ([`AloneSend::ended`]; dropped, it says nothing of the
    /// gateway).
    pub fn send_alone(&self, gateway_id: &str) -> (AloneSend, Turn) {
        let (id, turn) = self.lock().sent(gateway_id);
        let send = AloneSend {
            paces: self.clone(),
            gateway_id: gateway_id.to_string(),
            id,
            done: false,
        };
        (send, turn)
    }
}

/// A command sent outside a job, in its gateway's line until it ends.
pub struct AloneSend {
    paces: Paces,
    gateway_id: String,
    id: u64,
    done: bool,
}

impl AloneSend {
    /// `answered`: the gateway answered (confirmed or failed).
    pub fn ended(mut self, answered: bool) {
        self.end(answered);
    }

    fn end(&mut self, answered: bool) {
        if !std::mem::replace(&mut self.done, true) {
            let cap = crate::DEFAULT_PER_GATEWAY;
            self.paces
                .lock()
                .ended(&self.gateway_id, self.id, answered, cap);
        }
    }
}

impl Drop for AloneSend {
    fn drop(&mut self) {
        self.end(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_millis(200);

    /// Feeds `rounds` answers as a gateway running `side_by_side` commands at once would give
    /// them with the window the pace allows, and returns the window it settles on.
    fn settle(side_by_side: usize, cap: usize, rounds: usize) -> GatewayPace {
        let mut pace = GatewayPace::new();
        // The first command went alone: the gateway's own time.
        pace.learn(S, 1, cap);
        for _ in 0..rounds {
            let w = pace.window;
            // Waves of `side_by_side`: the command sent last waits for the waves before it.
            let waves = w.div_ceil(side_by_side) as u32;
            pace.learn(S * waves, w, cap);
        }
        pace
    }

    #[test]
    fn a_one_at_a_time_gateway_keeps_two_or_three_in_flight_and_runs_one() {
        let pace = settle(1, 32, 200);
        assert!((2..=3).contains(&pace.window), "window {}", pace.window);
        assert_eq!(pace.side_by_side, 1);
    }

    #[test]
    fn a_side_by_side_gateway_widens_to_the_cap() {
        let pace = settle(64, 32, 200);
        assert_eq!(pace.window, 32);
        assert_eq!(pace.side_by_side, 32);
    }

    #[test]
    fn a_gateway_running_four_at_once_settles_near_four() {
        let pace = settle(4, 32, 400);
        assert!((4..=6).contains(&pace.window), "window {}", pace.window);
        assert!(
            (3..=4).contains(&pace.side_by_side),
            "{}",
            pace.side_by_side
        );
    }

    #[tokio::test]
    async fn a_command_is_given_its_turn_when_the_one_ahead_ends() {
        let mut pacing = Pacing::default();
        let (first, first_turn) = pacing.sent("north");
        let (_, second_turn) = pacing.sent("north");
        first_turn.come().await;
        let mut second = Box::pin(second_turn.come());
        let early = tokio::time::timeout(Duration::from_millis(50), second.as_mut()).await;
        assert!(early.is_err(), "the second waits behind the first");
        pacing.ended("north", first, false, 32);
        second.await;
    }
}
