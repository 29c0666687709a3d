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
select "stock"."item_id", "stock"."location_id", "stock"."on_hand", cast(stock.reserved - coalesce((select sum(hold_lines.held) from hold_lines
    where hold_lines.item_id = stock.item_id and hold_lines.location_id = stock.location_id
      and hold_lines.held > 0 and hold_lines.expires_at <= ?
      and not exists (select 1 from order_lines
    where order_lines.item_id = "stock"."item_id" and order_lines.quantity_backordered > 0)), 0) as integer) as "reserved", "stock"."safety_stock" from "stock" where "item_id" >= ? and "item_id" <= ? and "location_id" in (?, ?, ?);
-- parameters: ["2026-11-26T10:00:00.000Z",100,2099,1,2,4]

-- itemLookup (a single-item look-up: item, stock, supply totals)
select "items"."id", "items"."sku", "items"."name", "items"."status", "items"."release_date", "items"."backorder_policy", "items"."low_stock_threshold", "items"."preorders_enabled", "items"."handling_days", "items"."backorder_cap", "stock"."location_id", "stock"."on_hand", cast(stock.reserved - coalesce((select sum(hold_lines.held) from hold_lines
    where hold_lines.item_id = stock.item_id and hold_lines.location_id = stock.location_id
      and hold_lines.held > 0 and hold_lines.expires_at <= ?
      and not exists (select 1 from order_lines
    where order_lines.item_id = "stock"."item_id" and order_lines.quantity_backordered > 0)), 0) as integer) as "reserved", "stock"."safety_stock", "totals"."total", "totals"."free", "totals"."next_expected_date" from "items" left join "stock" on "stock"."item_id" = "items"."id" and "stock"."location_id" in (?, ?, ?) left join (select "supply"."item_id", sum("supply"."open") as "total", sum(case when "supply"."open" > "supply"."promised" then "supply"."open" - "supply"."promised" else 0 end) as "free", min("supply"."expected_date") as "next_expected_date" from (select "line"."item_id" as "item_id", "line"."quantity_ordered" - "line"."quantity_received" - "line"."quantity_cancelled" as "open", "line"."quantity_promised" as "promised", "line"."expected_date" as "expected_date" from "purchase_order_lines" as "line" inner join "purchase_orders" as "po" on "po"."id" = "line"."purchase_order_id" where "line"."item_id" = (select items.id from items where items.sku = ?) and "po"."state" in (?, ?, ?) and "po"."location_id" in (?, ?, ?) and "line"."quantity_ordered" - "line"."quantity_received" - "line"."quantity_cancelled" > ? union all select "transfers"."item_id" as "item_id", "transfers"."quantity" - "transfers"."quantity_received" as "open", "transfers"."quantity_promised" as "promised", "transfers"."expected_date" as "expected_date" from "transfers" where "transfers"."item_id" = (select items.id from items where items.sku = ?) and "transfers"."state" in (?, ?) and "transfers"."to_location_id" in (?, ?, ?) and "transfers"."quantity" - "transfers"."quantity_received" > ?) as "supply" group by "supply"."item_id") as "totals" on true where "items"."sku" = ? order by "stock"."location_id";
-- parameters: ["2026-11-26T10:00:00.000Z",1,2,4,"SKU-1","sent","confirmed","partially_received",1,2,4,0,"SKU-1","in_transit","partially_received",1,2,4,0,"SKU-1"]

-- receiveOnTransfer (3 units)
update "transfers" set "quantity_received" = "quantity_received" + ?, "state" = case when "quantity_received" + ? = "quantity" then 'received' else 'partially_received' end, "received_at" = case when "quantity_received" + ? = "quantity" then ? else "received_at" end where "id" = ? and "state" in (?, ?) and "quantity_received" + ? <= "quantity" returning "id", "quantity", "quantity_received", "state", "received_at";
-- parameters: [3,3,3,"2026-11-26T10:00:00.000Z",9,"in_transit","partially_received",3]

-- openSupplyTotals (the feed, per batch)
select "supply"."item_id", sum("supply"."open") as "total", sum(case when "supply"."open" > "supply"."promised" then "supply"."open" - "supply"."promised" else 0 end) as "free", min("supply"."expected_date") as "next_expected_date" from (select "line"."item_id" as "item_id", "line"."quantity_ordered" - "line"."quantity_received" - "line"."quantity_cancelled" as "open", "line"."quantity_promised" as "promised", "line"."expected_date" as "expected_date" from "purchase_order_lines" as "line" inner join "purchase_orders" as "po" on "po"."id" = "line"."purchase_order_id" where "line"."item_id" between ? and ? and "po"."state" in (?, ?, ?) and "po"."location_id" in (?, ?, ?) and "line"."quantity_ordered" - "line"."quantity_received" - "line"."quantity_cancelled" > ? union all select "transfers"."item_id" as "item_id", "transfers"."quantity" - "transfers"."quantity_received" as "open", "transfers"."quantity_promised" as "promised", "transfers"."expected_date" as "expected_date" from "transfers" where "transfers"."item_id" between ? and ? and "transfers"."state" in (?, ?) and "transfers"."to_location_id" in (?, ?, ?) and "transfers"."quantity" - "transfers"."quantity_received" > ?) as "supply" group by "supply"."item_id";
-- parameters: [100,2099,"sent","confirmed","partially_received",1,2,4,0,100,2099,"in_transit","partially_received",1,2,4,0]

-- openPurchaseOrderSupply (one item, the promise walk)
select "line"."item_id", "po"."location_id", "locations"."code" as "location", "po"."id" as "purchase_order_id", "line"."id" as "line_id", "suppliers"."code" as "supplier", "line"."expected_date", "line"."confidence", "line"."quantity_ordered", "line"."quantity_received", "line"."quantity_cancelled", "line"."quantity_promised" from "purchase_order_lines" as "line" inner join "purchase_orders" as "po" on "po"."id" = "line"."purchase_order_id" inner join "suppliers" on "suppliers"."id" = "po"."supplier_id" inner join "locations" on "locations"."id" = "po"."location_id" where "line"."item_id" >= ? and "line"."item_id" <= ? and "po"."state" in (?, ?, ?) and "po"."location_id" in (?, ?) and "line"."quantity_ordered" - "line"."quantity_received" - "line"."quantity_cancelled" > ?;
-- parameters: [7,7,"sent","confirmed","partially_received",1,2,0]

-- openTransferSupply (one item, the promise walk)
select "transfers"."item_id", "transfers"."to_location_id" as "location_id", "target"."code" as "location", "transfers"."id" as "transfer_id", "source"."code" as "from", "transfers"."expected_date" as "expected_date", "transfers"."quantity", "transfers"."quantity_received", "transfers"."quantity_promised" from "transfers" inner join "locations" as "source" on "source"."id" = "transfers"."from_location_id" inner join "locations" as "target" on "target"."id" = "transfers"."to_location_id" where "transfers"."item_id" >= ? and "transfers"."item_id" <= ? and "transfers"."state" in (?, ?) and "transfers"."to_location_id" in (?, ?) and "transfers"."quantity" - "transfers"."quantity_received" > ?;
-- parameters: [7,7,"in_transit","partially_received",1,2,0]
