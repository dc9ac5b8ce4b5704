use push3::program::{KnownState, Plan, SchedulesReading, TouProgram};
use push3::undocumented::TariffData;
use push3_domain::desk::dispatch::CommandRequest;
use push3_domain::desk::programs::{self, MeterClock, MeterRef};
use push3_domain::desk::Desk;
use push3_domain::IpcError;
use serde_json::{Map, Value};
use tauri::State;

/// Validates one command as it would be sent; returns its wire params (without the password).
#[tauri::command]
pub async fn check_command(
    desk: State<'_, Desk>,
    request: CommandRequest,
) -> Result<Map<String, Value>, IpcError> {
    Ok(desk.check_command(&request).await?.1.command.params())
}

/// The commands that take the meter from what is known of it to `program`.
#[tauri::command]
pub async fn plan_program(
    desk: State<'_, Desk>,
    target: MeterRef,
    program: Value,
    force: bool,
) -> Result<Plan, IpcError> {
    desk.plan_program(target, program, force).await
}

/// Async, as it reads the store: off the main thread.
#[tauri::command]
pub async fn known_state(desk: State<'_, Desk>, target: MeterRef) -> Result<KnownState, IpcError> {
    desk.known_state_of(target)
}

#[tauri::command]
pub fn parse_schedules(data: Value) -> SchedulesReading {
    programs::parse_schedules(&data)
}

#[tauri::command]
pub fn compare_tou(expected: TouProgram, actual: TouProgram) -> programs::TouComparison {
    programs::compare_tou(&expected, &actual)
}

#[tauri::command]
pub fn parse_tariff_data(data: Value) -> TariffData {
    programs::parse_tariff_data(&data)
}

#[tauri::command]
pub fn meter_clock_now(time_zone: String) -> Result<MeterClock, IpcError> {
    programs::meter_clock_now(&time_zone)
}

#[tauri::command]
pub fn time_zones() -> Vec<&'static str> {
    programs::time_zones()
}

/// Asks for a utility rate file (OpenEI URDB JSON) and answers its text; `None` when the user
/// cancels. The window translates it with [`translate_rate`], again when an option changes.
#[tauri::command]
pub async fn pick_rate_file(app: tauri::AppHandle) -> Result<Option<String>, IpcError> {
    use crate::file_dialog::{pick, Pick};
    let rate = Pick::Open {
        filter: "Utility rate (OpenEI URDB JSON)",
        extensions: &["json"],
    };
    let Some(path) = pick(&app, rate).await else {
        return Ok(None);
    };
    std::fs::read_to_string(&path)
        .map(Some)
        .map_err(|e| IpcError::io(format!("Cannot read {}: {e}", path.display())))
}

/// A utility rate made into a TOU program, with what the meter cannot hold of it.
#[tauri::command]
pub async fn translate_rate(
    text: String,
    options: push3_domain::rates::RateOptions,
) -> Result<push3_rates::RateImport, IpcError> {
    push3_domain::rates::import(&text, &options)
}

/// Remembers the rate whose program was put in the Time of use editor, for cost estimates.
#[tauri::command]
pub async fn remember_rate(
    desk: State<'_, Desk>,
    target: MeterRef,
    rate: push3_domain::store::RememberedRate,
) -> Result<push3_domain::store::RememberedRate, IpcError> {
    desk.remember_rate(target, rate).await
}

/// Each month's estimated energy cost with the meter's remembered rate; `null` without one.
#[tauri::command]
pub async fn estimate_costs(
    desk: State<'_, Desk>,
    target: MeterRef,
    uses: Vec<push3_rates::estimate::MonthUse>,
) -> Result<Option<push3_domain::desk::rates::CostEstimate>, IpcError> {
    desk.estimate_costs(target, uses).await
}
