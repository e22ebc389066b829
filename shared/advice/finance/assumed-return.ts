/**
 * The yearly return a savings plan assumes for a risk profile: the band's model allocation
 * (risk-profile.ts) times a round long-run nominal return per asset class. These are stated
 * assumptions for a plan, not forecasts; the bot says them with the plan, and the user can give
 * another return instead.
 *
 * Pure TypeScript: the demo bank service and tests run the same code.
 */
import type { RiskBand } from "../../schemas/advice.ts";
import { MODEL_ALLOCATIONS, type Allocation } from "./risk-profile.ts";

/** Percent a year, nominal, over the long run: shares 6 %, bonds 3 %, cash 2 %. */
export const ASSET_CLASS_RETURNS: Readonly<Allocation> = { stocks: 6, bonds: 3, cash: 2 };

export interface BandReturn {
  band: RiskBand;
  /** The weighted return, percent a year, to two decimals (growth: 0.80·6 + 0.15·3 + 0.05·2 = 5.35). */
  annualReturnPercent: number;
  allocation: Allocation;
  assetReturns: Allocation;
}

export function assumedReturnForBand(band: RiskBand): BandReturn {
  const allocation = MODEL_ALLOCATIONS[band];
  // In hundredths of a percent, in integers: 80 % × 6 % is 480 of them, with no float error.
  const hundredths = allocation.stocks * ASSET_CLASS_RETURNS.stocks + allocation.bonds * ASSET_CLASS_RETURNS.bonds + allocation.cash * ASSET_CLASS_RETURNS.cash;
  return { band, annualReturnPercent: hundredths / 100, allocation: { ...allocation }, assetReturns: { ...ASSET_CLASS_RETURNS } };
}
