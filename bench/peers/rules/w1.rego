# W1 of the peer benchmark in Rego (regorus): the same decision as w1.rules.
# Percentages are kept in hundredths of a percent (integers) so the amount is exact;
# rounding to 100元 half up is done on integers.
package w1

import rego.v1

f := input.facts

exceed_score := 20 if f["超标倍数"] < 0.5
else := 40 if f["超标倍数"] < 1
else := 70 if f["超标倍数"] < 3
else := 100

days_score := 20 if f["持续天数"] <= 1
else := 50 if f["持续天数"] <= 7
else := 100

zone_score := 100 if f["敏感区"] == true
else := 30

fault_score := 100 if f["主观过错"] == "故意"
else := 30

# Σ weight × score, in hundredths of a percent (0–10000).
raw := ((40 * exceed_score) + (20 * days_score)) + ((20 * zone_score) + (20 * fault_score))

floored := 8000 if {
	f["拒不改正"] == true
	raw < 8000
} else := raw

pct := 5000 if {
	f["主动消除"] == true
	floored > 5000
} else := floored

exempt if {
	f["首次违法"] == true
	f["危害后果"] == "无"
	f["及时改正"] == true
}

lo := 100000

hi := 1000000

# lo + (hi − lo) × pct / 10000, rounded to 100元 half up: (n + 500000) ÷ 1000000 hundreds.
amount := lo + (100 * floor((((hi - lo) * pct) + 500000) / 1000000))

result := {"outcome": "no_penalty", "amount": null} if exempt
else := {"outcome": "penalty", "amount": amount}
