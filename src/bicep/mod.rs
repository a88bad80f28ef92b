//! Bicep reader.
pub fn read(path: &str, _text: &str, _loader: &dyn crate::model::Loader) -> crate::model::SourceFile { crate::model::SourceFile::new(path, crate::model::Kind::Bicep) }
