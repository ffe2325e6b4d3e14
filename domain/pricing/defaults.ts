// The demo's pricing rules: a sensible Indian multiplex calendar. Admins edit all of it.
import type { PricingRules } from "./rules.ts";

export const DEFAULT_RULES: PricingRules = {
  festivals: [
    { id: "diwali-2026", name: "Diwali", from: "2026-11-06", to: "2026-11-10", multiplier: 1.25 },
    { id: "christmas-2026", name: "Christmas", from: "2026-12-24", to: "2026-12-26", multiplier: 1.15 },
    { id: "new-year-2027", name: "New Year", from: "2026-12-31", to: "2027-01-01", multiplier: 1.2 },
    { id: "pongal-2027", name: "Pongal / Makar Sankranti", from: "2027-01-14", to: "2027-01-16", cities: ["Bengaluru", "Chennai", "Hyderabad"], multiplier: 1.15 },
    { id: "eid-al-fitr-2027", name: "Eid al-Fitr", from: "2027-03-09", to: "2027-03-11", multiplier: 1.15 },
    { id: "ganeshotsav-2027", name: "Ganeshotsav", from: "2027-09-04", to: "2027-09-14", cities: ["Mumbai", "Pune"], multiplier: 1.1 },
    { id: "diwali-2027", name: "Diwali", from: "2027-10-27", to: "2027-10-31", multiplier: 1.25 },
  ],
  seasons: [
    { id: "exams", name: "Exam", from: "03-01", to: "03-31", multiplier: 0.9 },
    { id: "summer", name: "Summer holidays", from: "04-15", to: "06-10", multiplier: 1.1 },
    { id: "monsoon", name: "Monsoon", from: "07-01", to: "09-15", multiplier: 0.95 },
    { id: "year-end", name: "Year-end holidays", from: "12-20", to: "01-05", multiplier: 1.1 },
  ],
  weekdays: [{ name: "Weekend", days: [0, 6], multiplier: 1.1 }],
  timeBands: [
    { name: "Morning", from: "06:00", to: "12:00", multiplier: 0.85 },
    { name: "Prime time", from: "18:00", to: "22:00", multiplier: 1.1 },
    { name: "Late night", from: "22:30", to: "03:00", multiplier: 0.9 },
  ],
  occupancyCurve: [[0, 0.9], [0.3, 1], [0.7, 1.1], [0.9, 1.3], [1, 1.4]],
  velocityCurve: [[0, 1], [0.05, 1], [0.2, 1.15]],
  velocityWindowMinutes: 30,
  leadTime: [
    { name: "Early bird", minHours: 120, multiplier: 0.9 },
    { name: "Last minute", maxHours: 3, multiplier: 1.05 },
  ],
  cities: { Mumbai: 1.1, Bengaluru: 1.05 },
  zones: [
    { id: "bkc", name: "Bandra Kurla Complex", lat: 19.066, lon: 72.866, radiusKm: 3, multiplier: 1.05 },
    { id: "whitefield", name: "Whitefield", lat: 12.9698, lon: 77.75, radiusKm: 4, multiplier: 1.05 },
  ],
  forecastCurve: [[0, 0.95], [0.5, 1], [0.9, 1.15], [1, 1.2]],
  guardRails: { floor: 0.7, ceiling: 2, maxChangePerHour: 0.1, roundTo: 500 },
};

/** Rules that change nothing: every seat costs its base price. */
export const BASE_ONLY_RULES: PricingRules = {
  festivals: [], seasons: [], weekdays: [], timeBands: [], occupancyCurve: [], velocityCurve: [], velocityWindowMinutes: 30,
  leadTime: [], cities: {}, zones: [], forecastCurve: [], guardRails: { floor: 0.01, ceiling: 10, maxChangePerHour: 1000, roundTo: 1 },
};
