//! GetTariffData's `data` is read in both layouts a gateway might send (reference §2.16, §9):
//! the nested one we guessed (`forward`/`reverse` lists), and the meter's flat keys
//! (`Month_1_Tot`, `Month_1_Tariff_1`, …, reverse energy as `Rev_Month_…`). Any tariff history,
//! written flat, reads back as itself.

use proptest::prelude::*;
use push3::undocumented::flat::tariffs_to_flat;
use push3::undocumented::{MonthKwh, TariffData};
use serde_json::{json, Value};

fn month() -> impl Strategy<Value = MonthKwh> {
    prop::array::uniform4(0.0f64..1.0e6).prop_map(|tariffs| MonthKwh {
        total: tariffs.iter().sum(),
        tariffs,
    })
}

fn history() -> impl Strategy<Value = TariffData> {
    (
        prop::collection::vec(month(), 0..=6),
        prop::collection::vec(month(), 0..=6),
    )
        .prop_map(|(forward, reverse)| TariffData {
            forward,
            reverse,
            extra: Default::default(),
        })
}

proptest! {
    #[test]
    fn any_history_written_flat_reads_back_as_itself(data in history()) {
        let flat = Value::Object(tariffs_to_flat(&data));
        prop_assert_eq!(TariffData::from_data(&flat).unwrap(), data.clone());
        // The nested layout still reads as before.
        let nested = serde_json::to_value(&data).unwrap();
        prop_assert_eq!(TariffData::from_data(&nested).unwrap(), data);
    }
}

#[test]
fn digit_strings_are_read_a_missing_total_is_the_sum_and_unknown_keys_are_kept() {
    let data = json!({
        "Month_1_Tariff_1": "12.5", "Month_1_Tariff_2": "7.5", "Month_1_Tariff_3": "0",
        "Month_1_Tariff_4": "0",
        "Month_2_Tot": 30, "Month_2_Tariff_1": 30,
        "Rev_Month_1_Tot": "1.5", "Rev_Month_1_Tariff_1": "1.5",
        "Meter": "000350000900"
    });
    let read = TariffData::from_data(&data).unwrap();
    assert_eq!(read.forward.len(), 2);
    assert_eq!(read.forward[0].total, 20.0);
    assert_eq!(read.forward[0].tariffs, [12.5, 7.5, 0.0, 0.0]);
    assert_eq!(read.forward[1].tariffs, [30.0, 0.0, 0.0, 0.0]);
    assert_eq!(read.reverse[0].total, 1.5);
    assert_eq!(read.extra.get("Meter"), Some(&json!("000350000900")));
}

#[test]
fn a_month_that_is_not_a_number_leaves_the_reading_to_the_raw_view() {
    let data = json!({ "Month_1_Tot": "lots", "Month_1_Tariff_1": 1 });
    assert!(TariffData::from_data(&data).is_err());
    let shown = TariffData::from_reading(&data);
    assert!(shown.forward.is_empty());
    assert_eq!(shown.extra.get("data"), Some(&data));
}
