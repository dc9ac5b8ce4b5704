//! What a connection test reads, for the gateway dialog and `push3 gateway test` alike.
//!
//! The test itself is [`push3::Client::test_connection`], put on record by
//! [`crate::Records::test_on_record`]; this module only picks its meter.

use crate::store::InventoryStore;
use push3::MeterAddress;
use push3_inventory::{GatewayId, InventoryError, MeterFilter};

/// The meter named, else the gateway's first meter by address: a test needs a meter to read,
/// since only a command proves the key and the stream.
pub fn meter_to_test(
    inventory: &dyn InventoryStore,
    gateway: &GatewayId,
    gateway_name: &str,
    named: Option<&str>,
) -> Result<MeterAddress, InventoryError> {
    if let Some(named) = named.map(str::trim).filter(|n| !n.is_empty()) {
        return MeterAddress::parse(named).map_err(InventoryError::Invalid);
    }
    let mut meters = inventory.list_meters(&MeterFilter::on_gateway(gateway.clone()))?;
    meters.sort_by(|a, b| a.address.cmp(&b.address));
    meters
        .into_iter()
        .next()
        .map(|m| m.address)
        .ok_or_else(|| InventoryError::NotFound {
            message: format!(
                "Gateway {gateway_name:?} has no meters yet: name the meter to read for the test"
            ),
        })
}
