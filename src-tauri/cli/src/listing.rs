//! Listings as plain text columns, for people; `--json` gives scripts the same rows.

/// Left-aligned columns separated by two spaces, with a header row. Widths count characters, so
/// the `••••` of a key hint lines up.
pub fn columns(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    std::iter::once(&header)
        .chain(rows)
        .map(|row| {
            let cells: Vec<String> = row
                .iter()
                .zip(&widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            cells.join("  ").trim_end().to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_by_characters_not_bytes() {
        let rows = vec![
            vec!["Main".to_string(), "••••MDIw".to_string(), "no".to_string()],
            vec!["Annex B".to_string(), "••••".to_string(), "yes".to_string()],
        ];
        assert_eq!(
            columns(&["NAME", "KEY", "TOKEN"], &rows),
            "NAME     KEY       TOKEN\n\
             Main     ••••MDIw  no\n\
             Annex B  ••••      yes"
        );
    }
}
