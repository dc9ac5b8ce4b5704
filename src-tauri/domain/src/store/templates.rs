//! Saved templates in the store's `templates` table, as the versioned JSON the app exports.

use super::TemplateStore;
use crate::desk::templates::template_error;
use crate::error::IpcError;
use push3_fleet::Template;
use push3_store::{SharedConnection, StoreError};
use rusqlite::OptionalExtension;
use std::path::Path;

/// The `templates` table, by exact name.
pub struct TemplateShelf {
    conn: SharedConnection,
}

impl TemplateShelf {
    pub fn at(store_path: &Path) -> Self {
        Self {
            conn: SharedConnection::new(store_path.to_path_buf()),
        }
    }
}

impl TemplateStore for TemplateShelf {
    /// Every template that reads back whole, by name; one that does not is left out here and
    /// named with its problem when it is opened.
    fn list(&self) -> Result<Vec<Template>, IpcError> {
        let conn = self.conn.lock()?;
        let texts: Vec<String> = conn
            .prepare_cached("SELECT json FROM templates")
            .and_then(|mut stmt| stmt.query_map([], |r| r.get(0))?.collect())
            .map_err(|e| StoreError::database("list the templates", e))?;
        let mut templates: Vec<Template> = texts
            .iter()
            .filter_map(|text| Template::from_json(text).ok())
            .collect();
        templates.sort_by_key(|t| t.name().to_lowercase());
        Ok(templates)
    }

    fn get(&self, name: &str) -> Result<Template, IpcError> {
        let conn = self.conn.lock()?;
        let text: Option<String> = conn
            .prepare_cached("SELECT json FROM templates WHERE name = ?1")
            .and_then(|mut stmt| stmt.query_row([name], |r| r.get(0)).optional())
            .map_err(|e| StoreError::database("read a template", e))?;
        let text = text
            .ok_or_else(|| IpcError::not_found(format!("There is no template named {name:?}")))?;
        Template::from_json(&text).map_err(template_error)
    }

    /// Saves `template`, replacing one of the same name.
    fn put(&self, template: &Template) -> Result<(), IpcError> {
        let conn = self.conn.lock()?;
        conn.prepare_cached(
            "INSERT INTO templates (name, json, saved_ms) VALUES (?1, ?2, ?3) \
             ON CONFLICT (name) DO UPDATE SET json = excluded.json, saved_ms = excluded.saved_ms",
        )
        .and_then(|mut upsert| {
            upsert.execute((
                template.name(),
                template.to_json(),
                chrono::Utc::now().timestamp_millis(),
            ))
        })
        .map_err(|e| StoreError::database("save the template", e))?;
        Ok(())
    }

    fn remove(&self, name: &str) -> Result<(), IpcError> {
        let conn = self.conn.lock()?;
        let removed = conn
            .prepare_cached("DELETE FROM templates WHERE name = ?1")
            .and_then(|mut delete| delete.execute([name]))
            .map_err(|e| StoreError::database("remove the template", e))?;
        if removed == 0 {
            return Err(IpcError::not_found(format!(
                "There is no template named {name:?}"
            )));
        }
        Ok(())
    }
}
