"""`archplan import`: existing Terraform (HCL folders with their local modules, or `terraform show -json`
output) read into an archplan plan. Reading is kept apart from the model, as in Infracost: hcl/ and
plan_json.py produce TfResources, google/ maps resource types to component kinds, build.py assembles the
plan document and write.py writes it. The pricers never see Terraform."""
