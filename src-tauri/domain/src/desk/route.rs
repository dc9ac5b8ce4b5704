//! Where a gateway id leads: the demo gateway built into the app, or a gateway of the user's
//! inventory. It is decided once, here, and each question that depends on it (which key and
//! URL, a meter's version and password, whether what a command teaches is kept, whether the
//! gateway may be edited) is one `match` on the answer.

use super::demo::DEMO_GATEWAY_ID;
use crate::error::IpcError;
use crate::records::Learning;
use push3_inventory::GatewayId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum GatewayRoute {
    /// The simulator in the app: the docs' public key, its meters in code, nothing kept on disk
    /// or in the keychain, and nothing the user can edit.
    Demo,
    /// A gateway of the inventory: its key in the keychain, its meters and what is known of
    /// them in the store.
    Stored(GatewayId),
}

impl GatewayRoute {
    pub fn of(gateway_id: &str) -> Self {
        if gateway_id == DEMO_GATEWAY_ID {
            Self::Demo
        } else {
            Self::Stored(GatewayId::from(gateway_id))
        }
    }

    /// The gateway id it was decided from.
    pub fn id(&self) -> &str {
        match self {
            Self::Demo => DEMO_GATEWAY_ID,
            Self::Stored(id) => id.as_str(),
        }
    }

    /// Whether what its commands teach outlives the app (the demo starts fresh every launch).
    pub fn persists(&self) -> bool {
        matches!(self, Self::Stored(_))
    }

    /// Where what its commands teach is kept.
    pub fn learning(&self) -> Learning {
        match self {
            Self::Demo => Learning::InMemory,
            Self::Stored(_) => Learning::Stored,
        }
    }

    /// Refuses to edit or remove the demo gateway, or to add meters to it.
    pub fn refuse_demo(&self) -> Result<(), IpcError> {
        match self {
            Self::Demo => Err(IpcError::unsupported(
                "The demo gateway is built in and cannot be changed.",
            )),
            Self::Stored(_) => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_id_routes_to_the_demo_and_any_other_to_the_inventory() {
        assert_eq!(GatewayRoute::of(DEMO_GATEWAY_ID), GatewayRoute::Demo);
        assert!(!GatewayRoute::Demo.persists());
        assert_eq!(
            GatewayRoute::Demo.refuse_demo().unwrap_err().code,
            crate::ErrorCode::Unsupported
        );
        let stored = GatewayRoute::of("4f7a");
        assert_eq!(stored, GatewayRoute::Stored(GatewayId::from("4f7a")));
        assert_eq!(
            (stored.id(), GatewayRoute::Demo.id()),
            ("4f7a", DEMO_GATEWAY_ID)
        );
        assert!(stored.persists());
        assert!(stored.refuse_demo().is_ok());
    }
}
