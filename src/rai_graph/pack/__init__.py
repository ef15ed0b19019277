"""Evidence packs: build a verifiable zip for one system and verify one."""
