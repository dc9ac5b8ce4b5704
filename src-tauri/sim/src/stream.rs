//! Response channels: what the push stream module keeps and fans out (reference §1.4, N).
//!
//! Each channel stores its last `capacity` frames for `.bN` backtrack and broadcasts new ones to
//! live subscribers. Taking the backlog and joining the broadcast happen under one lock, so a
//! subscriber sees every frame exactly once, whether it was published just before or just after.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// What a frame carries, so each transport can decide how to render it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FrameKind {
    /// A JSON response message (ours or another client's).
    Message,
    /// Junk from the `malformed_frames` fault. `self_delimiting: false` marks text such as a
    /// truncated object, which no reader could skip on a stream without separators.
    Junk { self_delimiting: bool },
}

#[derive(Debug)]
pub(crate) struct Frame {
    pub text: String,
    pub kind: FrameKind,
}

#[derive(Debug, Clone)]
enum LiveEvent {
    Frame(Arc<Frame>),
    /// The `drop_stream` fault: every current subscriber disconnects.
    Drop,
}

/// What a subscriber should do next.
#[derive(Debug)]
pub(crate) enum SubscriberEvent {
    Frame(Arc<Frame>),
    Ping,
    Dropped,
}

struct ChannelState {
    stored: VecDeque<Arc<Frame>>,
    live: broadcast::Sender<LiveEvent>,
}

/// Every response channel of one simulator.
pub(crate) struct Channels {
    by_name: Mutex<HashMap<String, ChannelState>>,
    capacity: usize,
}

/// Splits `name.bN` into the channel name and the backtrack count (nginx push stream syntax).
/// Without a suffix, only live messages are sent.
pub(crate) fn parse_channel_path(path: &str) -> (String, usize) {
    if let Some((name, count)) = path.rsplit_once(".b") {
        if !name.is_empty() && !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) {
            return (name.to_string(), count.parse().unwrap_or(usize::MAX));
        }
    }
    (path.to_string(), 0)
}

impl Channels {
    pub fn new(capacity: usize) -> Self {
        Self {
            by_name: Mutex::new(HashMap::new()),
            capacity,
        }
    }

    fn with_channel<R>(&self, name: &str, f: impl FnOnce(&mut ChannelState) -> R) -> R {
        let mut channels = self.by_name.lock().expect("channel lock poisoned");
        let state = channels
            .entry(name.to_string())
            .or_insert_with(|| ChannelState {
                stored: VecDeque::new(),
                live: broadcast::channel(1024).0,
            });
        f(state)
    }

    pub fn publish(&self, channel: &str, text: String, kind: FrameKind) {
        let capacity = self.capacity;
        self.with_channel(channel, |state| {
            let frame = Arc::new(Frame { text, kind });
            if capacity > 0 {
                if state.stored.len() == capacity {
                    state.stored.pop_front();
                }
                state.stored.push_back(frame.clone());
            }
            // No receivers is fine: the frame is stored for backtrack.
            let _ = state.live.send(LiveEvent::Frame(frame));
        });
    }

    /// Disconnects every current subscriber of `channel`; returns how many there were.
    pub fn drop_subscribers(&self, channel: &str) -> usize {
        self.with_channel(channel, |state| {
            state.live.send(LiveEvent::Drop).unwrap_or(0)
        })
    }

    /// Whether the channel has a stored message (the `forbid_until_first_message` fault).
    pub fn has_stored_messages(&self, channel: &str) -> bool {
        let channels = self.by_name.lock().expect("channel lock poisoned");
        channels.get(channel).is_some_and(|c| !c.stored.is_empty())
    }

    /// Joins `channel`, first replaying up to `backtrack` of its most recent stored frames.
    pub fn subscribe(&self, channel: &str, backtrack: usize) -> Subscription {
        self.with_channel(channel, |state| {
            let skip = state.stored.len().saturating_sub(backtrack);
            Subscription {
                backlog: state.stored.iter().skip(skip).cloned().collect(),
                live: state.live.subscribe(),
            }
        })
    }
}

/// One subscriber's view of a channel: the backlog, then live frames, with pings when idle.
pub(crate) struct Subscription {
    backlog: VecDeque<Arc<Frame>>,
    live: broadcast::Receiver<LiveEvent>,
}

impl Subscription {
    #[cfg(test)]
    pub fn backlog_len(&self) -> usize {
        self.backlog.len()
    }

    /// The next thing to send, or `None` once the simulator shuts down.
    pub async fn next(
        &mut self,
        ping_interval: Duration,
        shutdown: &mut watch::Receiver<bool>,
    ) -> Option<SubscriberEvent> {
        if let Some(frame) = self.backlog.pop_front() {
            return Some(SubscriberEvent::Frame(frame));
        }
        loop {
            tokio::select! {
                _ = shutdown.wait_for(|stopping| *stopping) => return None,
                _ = tokio::time::sleep(ping_interval) => return Some(SubscriberEvent::Ping),
                event = self.live.recv() => match event {
                    Ok(LiveEvent::Frame(frame)) => return Some(SubscriberEvent::Frame(frame)),
                    Ok(LiveEvent::Drop) => return Some(SubscriberEvent::Dropped),
                    // A subscriber too slow for 1024 frames loses the oldest, like a real
                    // push stream would; carry on with what is left.
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sub: &Subscription) -> Vec<String> {
        sub.backlog.iter().map(|f| f.text.clone()).collect()
    }

    #[test]
    fn backtrack_suffix_is_split_off() {
        assert_eq!(
            parse_channel_path("response_abc.b20"),
            ("response_abc".into(), 20)
        );
        assert_eq!(
            parse_channel_path("response_abc"),
            ("response_abc".into(), 0)
        );
        assert_eq!(
            parse_channel_path("response_abc.bx"),
            ("response_abc.bx".into(), 0)
        );
        assert_eq!(
            parse_channel_path("response_abc.b"),
            ("response_abc.b".into(), 0)
        );
    }

    #[test]
    fn backtrack_replays_only_the_most_recent_stored_frames() {
        let channels = Channels::new(3);
        for i in 0..5 {
            channels.publish("c", format!("m{i}"), FrameKind::Message);
        }
        assert_eq!(texts(&channels.subscribe("c", 2)), ["m3", "m4"]);
        assert_eq!(texts(&channels.subscribe("c", 20)), ["m2", "m3", "m4"]);
        assert!(texts(&channels.subscribe("c", 0)).is_empty());
        assert!(channels.has_stored_messages("c"));
        assert!(!channels.has_stored_messages("other"));
    }

    #[tokio::test]
    async fn live_frames_follow_the_backlog_and_drop_reaches_subscribers() {
        let channels = Channels::new(10);
        channels.publish("c", "old".into(), FrameKind::Message);
        let mut sub = channels.subscribe("c", 5);
        channels.publish("c", "new".into(), FrameKind::Message);
        let (_tx, mut shutdown) = watch::channel(false);
        let ping = Duration::from_secs(60);
        let mut seen = Vec::new();
        for _ in 0..2 {
            match sub.next(ping, &mut shutdown).await {
                Some(SubscriberEvent::Frame(f)) => seen.push(f.text.clone()),
                other => panic!("unexpected {other:?}"),
            }
        }
        assert_eq!(seen, ["old", "new"]);
        assert_eq!(channels.drop_subscribers("c"), 1);
        assert!(matches!(
            sub.next(ping, &mut shutdown).await,
            Some(SubscriberEvent::Dropped)
        ));
    }
}
