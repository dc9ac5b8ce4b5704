//! Correlation by `msg_id` for one subscription: who waits for which message, messages that
//! arrived before anyone asked for them, and which ones were already handed out.

use crate::wire::ResponseMessage;
use std::collections::{HashMap, HashSet, VecDeque};
use tokio::sync::oneshot;

/// Messages kept for a waiter that registers late (its response can be read from the stream
/// before `sendCommand`'s answer reaches us). Other clients' messages pass through here too.
const UNCLAIMED_CAPACITY: usize = 4096;
/// `msg_id`s already delivered, to drop duplicates (G11) and backtrack replays (G7).
const DELIVERED_CAPACITY: usize = 4096;

/// What happened to an incoming message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// Handed to its waiter.
    Delivered,
    /// Its `msg_id` was already handed out: dropped (the first one wins, G11).
    Duplicate,
    /// Nobody waits for it (yet): another client's, an old one from backtrack, or ours early.
    Unclaimed,
}

/// A set of strings that forgets its oldest entries beyond a capacity.
#[derive(Debug, Default)]
struct RecentIds {
    set: HashSet<String>,
    order: VecDeque<String>,
}

impl RecentIds {
    fn insert(&mut self, id: String, capacity: usize) {
        if self.set.insert(id.clone()) {
            self.order.push_back(id);
            if self.order.len() > capacity {
                if let Some(old) = self.order.pop_front() {
                    self.set.remove(&old);
                }
            }
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Mailbox {
    waiting: HashMap<String, oneshot::Sender<ResponseMessage>>,
    unclaimed: HashMap<String, ResponseMessage>,
    unclaimed_order: VecDeque<String>,
    delivered: RecentIds,
}

impl Mailbox {
    /// Waits for `msg_id`; answered at once if it already arrived (then the delivery is
    /// `Delivered`, else `Unclaimed` meaning "not yet").
    pub fn register(&mut self, msg_id: &str) -> (oneshot::Receiver<ResponseMessage>, Delivery) {
        let (tx, rx) = oneshot::channel();
        match self.unclaimed.remove(msg_id) {
            Some(message) => {
                self.unclaimed_order.retain(|id| id != msg_id);
                self.delivered
                    .insert(msg_id.to_string(), DELIVERED_CAPACITY);
                let _ = tx.send(message);
                (rx, Delivery::Delivered)
            }
            None => {
                self.waiting.insert(msg_id.to_string(), tx);
                (rx, Delivery::Unclaimed)
            }
        }
    }

    /// The waiter for `msg_id` gave up (deadline or dropped).
    pub fn cancel(&mut self, msg_id: &str) {
        self.waiting.remove(msg_id);
    }

    pub fn has_waiters(&self) -> bool {
        !self.waiting.is_empty()
    }

    pub fn waiter_count(&self) -> usize {
        self.waiting.len()
    }

    /// Files `message`; `count` learns what happened before any waiter is woken, so counters
    /// are up to date by the time a waiter sees its outcome.
    pub fn deliver(&mut self, message: ResponseMessage, count: impl FnOnce(Delivery)) {
        if self.delivered.set.contains(&message.msg_id)
            || self.unclaimed.contains_key(&message.msg_id)
        {
            return count(Delivery::Duplicate);
        }
        if let Some(tx) = self.waiting.remove(&message.msg_id) {
            self.delivered
                .insert(message.msg_id.clone(), DELIVERED_CAPACITY);
            count(Delivery::Delivered);
            // A waiter that has just timed out no longer listens; the message is then lost to
            // it, which is what its Unconfirmed outcome already says.
            let _ = tx.send(message);
            return;
        }
        count(Delivery::Unclaimed);
        self.unclaimed_order.push_back(message.msg_id.clone());
        self.unclaimed.insert(message.msg_id.clone(), message);
        if self.unclaimed_order.len() > UNCLAIMED_CAPACITY {
            if let Some(old) = self.unclaimed_order.pop_front() {
                self.unclaimed.remove(&old);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deliver(mailbox: &mut Mailbox, message: ResponseMessage) -> Delivery {
        let mut seen = None;
        mailbox.deliver(message, |d| seen = Some(d));
        seen.expect("every delivery is counted")
    }

    fn message(id: &str, success: bool) -> ResponseMessage {
        ResponseMessage {
            msg_id: id.into(),
            timestamp: 1.0,
            success,
            error: None,
            data: None,
        }
    }

    #[test]
    fn the_first_matching_message_wins_and_duplicates_are_dropped() {
        let mut mailbox = Mailbox::default();
        let (mut rx, _) = mailbox.register("a");
        assert_eq!(
            deliver(&mut mailbox, message("a", true)),
            Delivery::Delivered
        );
        assert_eq!(
            deliver(&mut mailbox, message("a", false)),
            Delivery::Duplicate
        );
        assert!(rx.try_recv().unwrap().success);
        assert!(!mailbox.has_waiters());
    }

    #[test]
    fn a_message_read_before_its_waiter_registers_is_kept_for_it() {
        let mut mailbox = Mailbox::default();
        assert_eq!(
            deliver(&mut mailbox, message("early", true)),
            Delivery::Unclaimed
        );
        assert_eq!(
            deliver(&mut mailbox, message("early", false)),
            Delivery::Duplicate
        );
        let (mut rx, delivery) = mailbox.register("early");
        assert_eq!(delivery, Delivery::Delivered);
        assert!(rx.try_recv().unwrap().success);
        assert_eq!(
            deliver(&mut mailbox, message("early", true)),
            Delivery::Duplicate
        );
    }

    #[test]
    fn foreign_messages_never_reach_a_waiter_and_are_bounded() {
        let mut mailbox = Mailbox::default();
        let (mut rx, _) = mailbox.register("mine");
        for i in 0..UNCLAIMED_CAPACITY + 10 {
            assert_eq!(
                deliver(&mut mailbox, message(&format!("other{i}"), true)),
                Delivery::Unclaimed
            );
        }
        assert!(rx.try_recv().is_err());
        assert_eq!(mailbox.unclaimed.len(), UNCLAIMED_CAPACITY);
        mailbox.cancel("mine");
        assert!(!mailbox.has_waiters());
    }
}
