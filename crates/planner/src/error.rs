//! Input errors. Messages are in Spanish: they are shown to supervisors.

use thiserror::Error;

/// A problem with the schools given to [`crate::plan`]; nothing is planned.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum InputError {
    #[error("código de escuela duplicado: {0}")]
    DuplicateCode(String),
    #[error("escuela en la posición {0}: falta el código")]
    EmptyCode(usize),
    #[error("docente {teacher} aparece más de una vez (escuela {school})")]
    DuplicateTeacher { school: String, teacher: String },
    #[error("opciones inválidas: {0}")]
    InvalidOptions(String),
}

/// One bad field in a CSV input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Line number in the file (the header is line 1).
    pub row: usize,
    /// Column name as in the header.
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fila {}, campo {}: {}",
            self.row, self.field, self.message
        )
    }
}

/// Every bad field of a CSV input, so that they can all be fixed at once.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{} error(es) en los datos de entrada:\n{}", .errors.len(), .errors.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n"))]
pub struct InputErrors {
    pub errors: Vec<FieldError>,
}

/// Why [`crate::reassign`] could not move a school.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReassignError {
    #[error("la escuela {0} no está en el plan")]
    UnknownSchool(String),
    #[error("no existe el grupo de escuelas {0}")]
    UnknownCluster(usize),
}
