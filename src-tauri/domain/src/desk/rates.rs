//! The utility rate imported for a meter: remembered when its program is put in the Time of use
//! editor, and used by the Tariff data tab to estimate each month's energy cost.

use super::programs::MeterRef;
use super::Desk;
use crate::error::IpcError;
use crate::store::RememberedRate;
use push3::MeterAddress;
use push3_rates::estimate::{monthly_costs, MonthCost, MonthUse};
use serde::Serialize;
use ts_rs::TS;

/// The Tariff data tab's estimate: the rate it used, and each month's cost in the order asked.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CostEstimate {
    pub rate: RememberedRate,
    pub months: Vec<MonthCost>,
}

impl Desk {
    pub async fn meter_rate(&self, target: MeterRef) -> Result<Option<RememberedRate>, IpcError> {
        let meter = MeterAddress::parse(&target.meter)?;
        self.with_store(move |store| Ok(store.rates().get(&target.gateway_id, &meter)?))
            .await
    }

    /// Remembers `rate` for the meter, replacing the one before.
    pub async fn remember_rate(
        &self,
        target: MeterRef,
        rate: RememberedRate,
    ) -> Result<RememberedRate, IpcError> {
        let meter = MeterAddress::parse(&target.meter)?;
        let priced = rate.prices.iter().flatten().flatten();
        if let Some(bad) = priced.clone().find(|p| !p.is_finite() || **p < 0.0) {
            return Err(IpcError::invalid_field(
                "prices",
                format!("{bad}: a price is a number of dollars from 0 up"),
            ));
        }
        self.with_store(move |store| Ok(store.rates().put(&target.gateway_id, &meter, &rate)?))
            .await
    }

    /// Each month's estimated energy cost with the meter's remembered rate; `None` when no rate
    /// was imported for it.
    pub async fn estimate_costs(
        &self,
        target: MeterRef,
        uses: Vec<MonthUse>,
    ) -> Result<Option<CostEstimate>, IpcError> {
        let rate = self.meter_rate(target).await?;
        Ok(rate.map(|rate| CostEstimate {
            months: monthly_costs(&rate.prices, &uses),
            rate,
        }))
    }
}
