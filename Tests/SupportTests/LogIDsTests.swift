@testable import Support
import Testing

struct LogIDsTests {
    @Test func uuidsAreLowerCasedAndNothingElse() {
        #expect(LogIDs.lowercased("job 0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D FAILED at DEADBEEF")
                == "job 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d FAILED at DEADBEEF")
        #expect(LogIDs.lowercased("[0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D,FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF]")
                == "[0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d,ffffffff-ffff-ffff-ffff-ffffffffffff]")
    }

    @Test func textThatOnlyLooksLikeAnIdIsLeftAlone() {
        for text in ["ABCDEF", "", "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4", "X0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4DE", "0A1B2C3D_4E5F_4A6B_8C7D_9E0F1A2B3C4D"] {
            #expect(LogIDs.lowercased(text) == text)
        }
    }
}
