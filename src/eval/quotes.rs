//! (First wiring version; the PolNeAR scorer replaces this module.)

use super::Report;
use crate::error::DataError;
use crate::Pipeline;
use std::path::Path;

pub fn evaluate(_pipeline: &Pipeline, dir: &Path) -> Result<Report, DataError> {
    Err(DataError::format(
        dir,
        "PolNeAR evaluation is not available yet",
    ))
}
