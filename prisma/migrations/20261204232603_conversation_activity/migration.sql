-- AlterTable: the new NOT NULL columns are filled from what each existing row knows.
ALTER TABLE "conversation_window" ADD COLUMN     "last_action_at" TIMESTAMPTZ(3),
ADD COLUMN     "last_activity_at" TIMESTAMPTZ(3),
ADD COLUMN     "recent_reply_times" TIMESTAMPTZ(3)[] DEFAULT ARRAY[]::TIMESTAMPTZ(3)[];
UPDATE "conversation_window" SET "last_action_at" = "updated_at", "last_activity_at" = "updated_at";
ALTER TABLE "conversation_window" ALTER COLUMN "last_action_at" SET NOT NULL,
ALTER COLUMN "last_activity_at" SET NOT NULL;

-- AlterTable
ALTER TABLE "customer_reply" ADD COLUMN     "sending_since" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "conversation_window_activity_idx" ON "conversation_window"("app_id", "last_activity_at" DESC, "openid");
