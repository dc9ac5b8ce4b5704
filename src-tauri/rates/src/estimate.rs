//! An estimate of a month's energy cost from the meter's kWh per register and the imported
//! rate's price of each register that month: kWh × price, first tier. Not a bill: no tiers, no
//! demand or fixed charges, no taxes; the window says so wherever it shows one.

use crate::translate::REGISTERS;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One month of the meter's tariff data: which calendar month, and its kWh per register.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthUse {
    /// 1 (January) to 12.
    pub month: u8,
    #[ts(as = "Vec<f64>")]
    pub kwh: [f64; REGISTERS],
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MonthCost {
    /// $ for the kWh of registers the rate prices that month.
    pub cost: f64,
    /// kWh counted in a register the rate gives no price that month (left out of `cost`).
    pub unpriced_kwh: f64,
}

/// The estimate for each month of `uses`, in order, with `prices[month - 1][register]`.
pub fn monthly_costs(prices: &[[Option<f64>; REGISTERS]; 12], uses: &[MonthUse]) -> Vec<MonthCost> {
    uses.iter()
        .map(|u| {
            let row = prices[usize::from(u.month.clamp(1, 12)) - 1];
            let mut cost = MonthCost {
                cost: 0.0,
                unpriced_kwh: 0.0,
            };
            for (kwh, price) in u.kwh.iter().zip(row) {
                match price {
                    Some(price) => cost.cost += kwh * price,
                    None => cost.unpriced_kwh += kwh,
                }
            }
            cost
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_register_at_that_months_price_and_unpriced_kwh_set_apart() {
        let mut prices = [[None; REGISTERS]; 12];
        prices[0] = [Some(0.09), Some(0.20), None, None];
        prices[6] = [Some(0.11), Some(0.35), None, None];
        let costs = monthly_costs(
            &prices,
            &[
                MonthUse {
                    month: 7,
                    kwh: [100.0, 10.0, 0.0, 0.0],
                },
                MonthUse {
                    month: 1,
                    kwh: [100.0, 10.0, 5.0, 0.0],
                },
            ],
        );
        assert!((costs[0].cost - 14.5).abs() < 1e-9, "{costs:?}");
        assert_eq!(costs[0].unpriced_kwh, 0.0);
        assert!((costs[1].cost - 11.0).abs() < 1e-9, "{costs:?}");
        assert_eq!(costs[1].unpriced_kwh, 5.0);
    }
}
