//! Formatter (to come).
