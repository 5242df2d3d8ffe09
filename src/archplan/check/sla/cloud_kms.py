from archplan.check.sla import SlaChoice


def sla(spec) -> SlaChoice:
    if any(key.protection_level == "external" for key in spec.keys):
        return SlaChoice("cloud_ekm", "Cloud KMS with Cloud EKM keys")
    return SlaChoice("cloud_kms", "Cloud KMS / Cloud HSM operations")
