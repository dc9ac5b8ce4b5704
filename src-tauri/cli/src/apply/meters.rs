//! Which meters `push3 apply` works on: those of a list file or with a tag, and only inventory
//! meters on the named gateway, whose version and stored password the inventory knows.

use crate::exit::Exit;
use push3::MeterPassword;
use push3_domain::store::InventoryStore;
use push3_inventory::{Gateway, Meter, MeterAddress, MeterFilter};
use std::collections::HashMap;
use std::path::Path;

/// The meters of `--meters FILE`, in file order. Every address must be an inventory meter on
/// `gateway`; otherwise nothing is sent and the message names the line.
pub fn listed(
    inventory: &dyn InventoryStore,
    gateway: &Gateway,
    file: &Path,
) -> Result<Vec<Meter>, Exit> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| Exit::invalid(format!("--meters: cannot read {} ({e})", file.display())))?;
    let on_gateway = inventory.list_meters(&MeterFilter::on_gateway(gateway.id.clone()))?;
    let mut meters: Vec<Meter> = Vec::new();
    for (line, address) in addresses(&text) {
        let at_line = || format!("--meters: {} line {line}", file.display());
        let address = MeterAddress::parse(address)
            .map_err(|e| Exit::invalid(format!("{}: {e}", at_line())))?;
        let meter = on_gateway
            .iter()
            .find(|m| m.address == address)
            .ok_or_else(|| {
                Exit::invalid(format!(
                    "{}: meter {address} is not in the inventory on gateway {:?} (see `push3 meter \
                     list --gateway {:?}`)",
                    at_line(),
                    gateway.name,
                    gateway.name
                ))
            })?;
        // Listed twice, applied once: a second target would be sent the same commands again.
        if !meters.iter().any(|m| m.address == address) {
            meters.push(meter.clone());
        }
    }
    if meters.is_empty() {
        return Err(Exit::invalid(format!(
            "--meters: {} lists no meter address",
            file.display()
        )));
    }
    Ok(meters)
}

/// The inventory meters on `gateway` with `tag`.
pub fn tagged(
    inventory: &dyn InventoryStore,
    gateway: &Gateway,
    tag: &str,
) -> Result<Vec<Meter>, Exit> {
    let meters = inventory.list_meters(&MeterFilter {
        gateway_id: Some(gateway.id.clone()),
        tag: Some(tag.to_string()),
    })?;
    if meters.is_empty() {
        return Err(Exit::invalid(format!(
            "--tag: no meter on gateway {:?} has the tag {tag:?} (see `push3 meter list`)",
            gateway.name
        )));
    }
    Ok(meters)
}

/// The stored passwords of the meters that are not on the factory one.
pub fn passwords(
    inventory: &dyn InventoryStore,
    meters: &[Meter],
) -> Result<HashMap<MeterAddress, MeterPassword>, Exit> {
    let mut passwords = HashMap::new();
    for meter in meters.iter().filter(|m| m.has_password) {
        if let Some(stored) = inventory.meter_password(&meter.address)? {
            // The inventory stores 8 digits only, so this refuses nothing but a hand-edited
            // keychain.
            let password = MeterPassword::parse(stored.expose()).map_err(|e| {
                Exit::invalid(format!(
                    "the stored password of meter {}: {e}",
                    meter.address
                ))
            })?;
            passwords.insert(meter.address.clone(), password);
        }
    }
    Ok(passwords)
}

/// The addresses of a list file with their line numbers: one a line; blank lines and anything
/// after a `#` are left out.
fn addresses(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(index, line)| {
        let address = line.split('#').next().unwrap_or_default().trim();
        (!address.is_empty()).then_some((index + 1, address))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_file_has_one_address_a_line_with_comments_and_blank_lines_left_out() {
        let text = "# boiler rooms\n350000900\n\n  000350001234  # north wing\r\n#12\n7";
        let found: Vec<(usize, &str)> = addresses(text).collect();
        assert_eq!(found, [(2, "350000900"), (4, "000350001234"), (6, "7")]);
    }
}
