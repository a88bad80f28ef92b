//! ARM template expression language: parser and static evaluator.
