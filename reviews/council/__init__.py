"""The privacy council's domain: pre-approval criteria and their examples, the reports
that apply them, consultations, meetings, answers and the obligations they attach."""
