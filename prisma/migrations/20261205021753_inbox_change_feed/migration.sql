-- CreateIndex
CREATE INDEX "conversation_window_updated_idx" ON "conversation_window"("updated_at");
