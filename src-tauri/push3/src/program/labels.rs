//! Program paths (`schedules[1][2].tariff`) in words (`Schedule 2, period 3, tariff`), for the
//! messages people read next to a field; the path itself stays the field's id for the UI.

/// The words for a program path, or the path itself when it is not a program path.
pub fn path_label(path: &str) -> String {
    let (head, rest) = split_name(path);
    let mut indices = Vec::new();
    let mut tail = rest;
    while let Some(after) = tail.strip_prefix('[') {
        let Some((number, next)) = after.split_once(']') else {
            return path.to_string();
        };
        let Ok(index) = number.parse::<usize>() else {
            return path.to_string();
        };
        indices.push(index + 1);
        tail = next;
    }
    let leaf = tail.strip_prefix('.');
    let base = match (head, indices.as_slice()) {
        ("schedules", []) => "Schedules".to_string(),
        ("schedules", [s]) => format!("Schedule {s}"),
        ("schedules", [s, p]) => format!("Schedule {s}, period {p}"),
        ("holidays", []) => "Holidays".to_string(),
        ("holidays", [h]) => format!("Holiday {h}"),
        ("seasons", []) => "Seasons".to_string(),
        ("seasons", [s]) => format!("Season {s}"),
        ("display_fields", []) => "Display list".to_string(),
        ("display_fields", [i]) => format!("Display item {i}"),
        ("pulse_input_ratios", []) => "Pulse input ratios".to_string(),
        ("pulse_input_ratios", [line]) => format!("Pulse input {line} ratio"),
        ("weekend_schedule", []) => "Weekend schedule".to_string(),
        ("holiday_schedule", []) => "Holiday schedule".to_string(),
        ("ct_ratio", []) => "CT ratio".to_string(),
        ("max_demand_period", []) => "Max demand period".to_string(),
        ("max_demand_reset_interval", []) => "Max demand reset interval".to_string(),
        ("pulse_output_ratio", []) => "Pulse output ratio".to_string(),
        _ => return path.to_string(),
    };
    match leaf {
        None if tail.is_empty() => base,
        Some("hour") => format!("{base}, start hour"),
        Some("minute") => format!("{base}, start minute"),
        Some(field @ ("tariff" | "month" | "day" | "schedule")) => format!("{base}, {field}"),
        _ => path.to_string(),
    }
}

fn split_name(path: &str) -> (&str, &str) {
    let end = path.find(['[', '.']).unwrap_or(path.len());
    path.split_at(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn program_paths_read_as_words() {
        assert_eq!(
            path_label("schedules[1][2].tariff"),
            "Schedule 2, period 3, tariff"
        );
        assert_eq!(
            path_label("schedules[0][0].hour"),
            "Schedule 1, period 1, start hour"
        );
        assert_eq!(path_label("schedules[5]"), "Schedule 6");
        assert_eq!(path_label("holidays[3].day"), "Holiday 4, day");
        assert_eq!(path_label("seasons[0].schedule"), "Season 1, schedule");
        assert_eq!(path_label("display_fields[3]"), "Display item 4");
        assert_eq!(path_label("display_fields"), "Display list");
        assert_eq!(path_label("pulse_input_ratios[1]"), "Pulse input 2 ratio");
        assert_eq!(path_label("ct_ratio"), "CT ratio");
        assert_eq!(path_label("weekend_schedule"), "Weekend schedule");
    }

    #[test]
    fn anything_else_is_left_as_it_is() {
        for path in [
            "kind",
            "tou",
            "schedules[x]",
            "ct_ratio.value",
            "holidays[2].year",
            "",
            "schedules[1",
        ] {
            assert_eq!(path_label(path), path);
        }
    }
}
