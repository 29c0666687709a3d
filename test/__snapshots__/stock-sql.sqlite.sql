-- Compiled by test/sql-snapshots.test.ts (sqlite); UPDATE_SNAPSHOTS=1 rewrites it.

-- ensureStockRow
insert into "stock" ("item_id", "location_id", "on_hand", "reserved", "safety_stock", "last_delta", "updated_at") values (?, ?, ?, ?, ?, ?, ?) on conflict ("item_id", "location_id") do nothing;
-- parameters: [7,3,0,0,0,0,"2026-11-26T10:00:00.000Z"]

-- changeOnHand (remove 2)
update "stock" set "on_hand" = "on_hand" + ?, "last_delta" = ?, "updated_at" = ? where "item_id" = ? and "location_id" = ? and "on_hand" + ? >= "reserved" and "on_hand" + ? <= ? returning "on_hand", "reserved", "safety_stock", "last_delta", "updated_at";
-- parameters: [-2,-2,"2026-11-26T10:00:00.000Z",7,3,-2,-2,1000000000]

-- setCountedOnHand (no expected)
update "stock" set "on_hand" = ?, "last_delta" = ? - on_hand, "updated_at" = ? where "item_id" = ? and "location_id" = ? and "reserved" <= ? returning "on_hand", "reserved", "safety_stock", "last_delta", "updated_at";
-- parameters: [12,12,"2026-11-26T10:00:00.000Z",7,3,12]

-- setCountedOnHand (expected 10)
update "stock" set "on_hand" = ?, "last_delta" = ? - on_hand, "updated_at" = ? where "item_id" = ? and "location_id" = ? and "reserved" <= ? and "on_hand" = ? returning "on_hand", "reserved", "safety_stock", "last_delta", "updated_at";
-- parameters: [12,12,"2026-11-26T10:00:00.000Z",7,3,12,10]

-- stockForItemRange
select "item_id", "location_id", "on_hand", "reserved", "safety_stock" from "stock" where "item_id" >= ? and "item_id" <= ? and "location_id" in (?, ?, ?);
-- parameters: [100,2099,1,2,4]
