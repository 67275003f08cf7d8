"""Documents that leave the office: the ledger now; 附件1, 附件2 and opinions later."""
