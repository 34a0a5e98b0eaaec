package store

import (
	"context"
	"fmt"
)

// UnsubscribePhone deletes every subscription of phone (the unsubscribe
// link: unlike STOP, which keeps them inactive for a START, nothing is
// kept) and returns how many there were. The number's delivery state as a
// recipient stays as it is: it may also be an on-call number.
func (s *State) UnsubscribePhone(ctx context.Context, phone string) (int, error) {
	var n int64
	err := s.inTx(ctx, func(tx *txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM subscriptions WHERE phone = ?`, phone)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("unsubscribe %s: %w", phone, err)
	}
	return int(n), nil
}
