//! Terraform (HCL) reader.
