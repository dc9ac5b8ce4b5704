//! Saved templates for the Fleet view, in the one store (`templates`), as the versioned JSON the
//! app exports. Each is checked (push3-fleet's `Template`) when saved and again when read, so a
//! damaged or newer one is refused by name rather than half-used.

use super::Desk;
use crate::error::IpcError;
use push3_fleet::Template;
use serde::Serialize;
use ts_rs::TS;

/// A template as the UI lists it.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInfo {
    pub name: String,
    pub kind: push3_fleet::TemplateKind,
    pub program: serde_json::Value,
}

impl From<&Template> for TemplateInfo {
    fn from(t: &Template) -> Self {
        Self {
            name: t.name().to_string(),
            kind: t.kind(),
            program: t.program().clone(),
        }
    }
}

impl Desk {
    pub fn templates(&self) -> Result<Vec<TemplateInfo>, IpcError> {
        Ok(self
            .store
            .templates()
            .list()?
            .iter()
            .map(TemplateInfo::from)
            .collect())
    }

    /// Validates and saves a template under its name, replacing one of the same name.
    pub fn save_template(
        &self,
        name: &str,
        program: serde_json::Value,
    ) -> Result<TemplateInfo, IpcError> {
        let template = Template::new(name, program).map_err(template_error)?;
        self.store.templates().put(&template)?;
        Ok(TemplateInfo::from(&template))
    }

    /// Reads a template file (an import): a foreign or invalid file changes nothing.
    pub fn import_template(&self, text: &str) -> Result<TemplateInfo, IpcError> {
        let template = Template::from_json(text).map_err(template_error)?;
        self.store.templates().put(&template)?;
        Ok(TemplateInfo::from(&template))
    }

    pub fn template_json(&self, name: &str) -> Result<String, IpcError> {
        Ok(self.template(name)?.to_json())
    }

    pub fn remove_template(&self, name: &str) -> Result<(), IpcError> {
        self.store.templates().remove(name)
    }

    pub(super) fn template(&self, name: &str) -> Result<Template, IpcError> {
        self.store.templates().get(name)
    }
}

pub(crate) fn template_error(e: push3_fleet::TemplateError) -> IpcError {
    IpcError::invalid_field(&e.field, e.message)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    fn lcd() -> serde_json::Value {
        json!({"kind": "lcd", "display_fields": ["kWh_Tot", "RMS_Volts_Ln_1", "Line_Freq"]})
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn templates_are_saved_listed_and_a_foreign_import_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let desk =
            super::super::Desk::new(dir.path().to_path_buf(), &tokio::runtime::Handle::current())
                .unwrap();
        desk.save_template("Lobby display", lcd()).unwrap();
        let e = desk
            .save_template("Bad", json!({"kind": "lcd", "display_fields": ["Nope"]}))
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("program.display_fields[0]"));

        let exported = desk.template_json("Lobby display").unwrap();
        desk.remove_template("Lobby display").unwrap();
        assert!(desk.templates().unwrap().is_empty());
        assert_eq!(
            desk.remove_template("Lobby display").unwrap_err().code,
            crate::ErrorCode::NotFound
        );
        let imported = desk.import_template(&exported).unwrap();
        assert_eq!(imported.name, "Lobby display");

        let foreign = r#"{"schema": "someone-else", "version": 1, "name": "x", "program": {}}"#;
        let e = desk.import_template(foreign).unwrap_err();
        assert_eq!(e.field.as_deref(), Some("schema"));
        let names: Vec<_> = desk
            .templates()
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["Lobby display"]);
    }
}
