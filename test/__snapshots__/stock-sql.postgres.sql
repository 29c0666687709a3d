-- Compiled by test/sql-snapshots.test.ts (postgres); UPDATE_SNAPSHOTS=1 rewrites it.

-- ensureStockRow
insert into "stock" ("item_id", "location_id", "on_hand", "reserved", "safety_stock", "last_delta", "updated_at") values ($1, $2, $3, $4, $5, $6, $7) on conflict ("item_id", "location_id") do nothing;
-- parameters: [7,3,0,0,0,0,"2026-11-26T10:00:00.000Z"]

-- changeOnHand (remove 2)
update "stock" set "on_hand" = "on_hand" + $1, "last_delta" = $2, "updated_at" = $3 where "item_id" = $4 and "location_id" = $5 and "on_hand" + $6 >= "reserved" and "on_hand" + $7 <= $8 returning "on_hand", "reserved", "safety_stock", "last_delta", "updated_at";
-- parameters: [-2,-2,"2026-11-26T10:00:00.000Z",7,3,-2,-2,1000000000]

-- setCountedOnHand (no expected)
update "stock" set "on_hand" = $1, "last_delta" = $2 - on_hand, "updated_at" = $3 where "item_id" = $4 and "location_id" = $5 and "reserved" <= $6 returning "on_hand", "reserved", "safety_stock", "last_delta", "updated_at";
-- parameters: [12,12,"2026-11-26T10:00:00.000Z",7,3,12]

-- setCountedOnHand (expected 10)
update "stock" set "on_hand" = $1, "last_delta" = $2 - on_hand, "updated_at" = $3 where "item_id" = $4 and "location_id" = $5 and "reserved" <= $6 and "on_hand" = $7 returning "on_hand", "reserved", "safety_stock", "last_delta", "updated_at";
-- parameters: [12,12,"2026-11-26T10:00:00.000Z",7,3,12,10]

-- stockForItemRange
select "item_id", "location_id", "on_hand", "reserved", "safety_stock" from "stock" where "item_id" >= $1 and "item_id" <= $2 and "location_id" in ($3, $4, $5);
-- parameters: [100,2099,1,2,4]
