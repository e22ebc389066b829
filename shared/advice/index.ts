/**
 * Personal advice engines for the finance and health bots: pure functions from validated answers
 * (shared/schemas/advice.ts) to data the bot words and shows. Documented in docs/advice.md.
 */
export { FINANCE_DISCLAIMER, HEALTH_DISCLAIMER, localised } from "./disclaimer.ts";
export { MODEL_ALLOCATIONS, RISK_BANDS, RISK_CAPS, RISK_POINTS, assessRisk, riskBandName, type Allocation, type RiskProfile } from "./finance/risk-profile.ts";
export { planSavings, wholeMonthsBetween, type SavingsPlan } from "./finance/savings-plan.ts";
export { MEDICINE_RULES, SOURCES, adviseOnMedicine, findingText, type Finding, type FindingLevel, type MedicineAdvice, type Referral } from "./health/medicine-rules.ts";
export { MEDICINES, identifyMedicine, medicinesInText, type Medicine, type MedicineClass } from "./health/medicines.ts";
